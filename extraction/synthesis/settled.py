"""Which value is *the study's* value: the settled extraction of each study, counted once per
study (however many reports it has, however many reviewers extracted it).

The rule, field by field, under a form's latest version:

1. a study whose consensus extraction is **reconciled** takes the consensus values;
2. otherwise, a study extracted by **one** reviewer takes that reviewer's values (in progress
   or complete: what is entered is data);
3. otherwise (two reviewers, not reconciled yet) a field takes the value both reviewers give
   (numbers within the reconciliation tolerance, choice sets as sets: reconciling would copy it
   unchanged) or the consensus value someone already decided; a field where they differ and
   nobody decided is **unsettled**: it is left out of every count and listed in `unsettled`.

`basis` says which case applied: `reconciled`, `single`, `agreed` (two reviewers, no field
unsettled) or `partly` (some fields unsettled).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from extraction.forms import FormDef
from extraction.reconcile import compare, extraction_cells
from extraction.storage import ExtractionData, FormVersion, get_form, load
from review.db import Store
from review.extraction_tables import CONSENSUS
from review.studies import list_studies

Basis = Literal["reconciled", "single", "agreed", "partly"]


@dataclass(frozen=True)
class StudyValues:
    """One study's settled values: scalars by field, group rows by group (row order)."""

    study: int
    name: str
    basis: Basis
    reviewers: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unsettled: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()  # of its reports

    def get(self, path: str) -> list[Any]:
        """The value(s) of a field: a scalar as a one-item list (none when empty), a group
        column as its distinct values over the study's rows."""
        if "." in path:
            g, c = path.split(".", 1)
            out: list[Any] = []
            for r in self.rows.get(g, []):
                v = r.get(c)
                if v is not None and v not in out:
                    out.append(v)
            return out
        v = self.values.get(path)
        return [] if v is None else [v]


def _from_cells(form: FormDef, cells: dict[tuple[str, int], Any]) -> tuple[dict, dict]:
    values: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for (path, row), v in cells.items():
        if v is None:
            continue
        if "." in path:
            g, c = path.split(".", 1)
            rows[g].setdefault(row, {})[c] = v
        else:
            values[path] = v
    ordered = {g.name: [rows[g.name][i] for i in sorted(rows[g.name])] for g in form.groups}
    return values, {k: v for k, v in ordered.items() if v}


def _settle(form: FormDef, exts: list[ExtractionData]) -> tuple[Basis, dict, list[str], tuple]:
    cons = next((d for d in exts if d.reviewer == CONSENSUS), None)
    people = [d for d in exts if d.reviewer != CONSENSUS]
    who = tuple(d.reviewer for d in people)
    if cons is not None and cons.status == "reconciled":
        return "reconciled", extraction_cells(form, cons), [], who
    if len(people) == 1:
        return "single", extraction_cells(form, people[0]), [], who
    if not people:  # only a consensus extraction in progress
        return "partly", extraction_cells(form, cons) if cons else {}, [], who
    agreed, diff = compare(form, people[0], people[1])
    decided = {} if cons is None else extraction_cells(form, cons)
    cells = dict(agreed)
    unsettled: list[str] = []
    for d in diff:
        v = decided.get((d.field, d.row))
        if v is not None:
            cells[(d.field, d.row)] = v
        elif d.field not in unsettled:
            unsettled.append(d.field)
    return ("partly" if unsettled else "agreed"), cells, unsettled, who


def settled(
    fv: FormVersion,
    data: list[ExtractionData],
    names: dict[int, str],
    titles: dict[int, tuple[str, ...]] | None = None,
) -> list[StudyValues]:
    """The settled values of each study with an extraction in `data` (see the module's rule)."""
    by_study: dict[int, list[ExtractionData]] = defaultdict(list)
    for d in data:
        by_study[d.study].append(d)
    out = []
    for sid in sorted(by_study):
        basis, cells, unsettled, who = _settle(fv.form, by_study[sid])
        values, rows = _from_cells(fv.form, cells)
        name = names.get(sid) or f"study {sid}"
        reports = (titles or {}).get(sid, ())
        out.append(StudyValues(sid, name, basis, who, values, rows, tuple(unsettled), reports))
    return out


def settled_values(store: Store, form: str | None = None) -> tuple[FormVersion, list[StudyValues]]:
    """The form's latest version and the settled values of every study extracted with it."""
    fv = get_form(store, form)
    names, titles = {}, {}
    for v in list_studies(store):
        names[v.id] = v.name or (v.titles[0] if v.titles else "")
        titles[v.id] = tuple(v.titles)
    return fv, settled(fv, load(store, fv), names, titles)
