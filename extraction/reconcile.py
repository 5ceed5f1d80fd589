"""Dual extraction: two reviewers extract a study independently (protocol.extractors = 2);
reconciliation lists their disagreements field by field (numbers within a tolerance, choice
sets as sets) and records the consensus value and who decided it, in an extraction whose
reviewer is `consensus`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from extraction.forms import FormDef
from extraction.storage import (
    ExtractionData,
    FormVersion,
    check_value,
    get_extraction,
    load,
    set_status,
    write_value,
)
from review.audited import add_audit
from review.db import Store
from review.errors import InvalidInputError
from review.extraction_tables import CONSENSUS
from review.settings import protocol

DEFAULT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Disagreement:
    """A field (and row of a group) where the two reviewers differ; `decided` holds the
    consensus value once someone chose it."""

    field: str
    row: int
    values: dict[str, Any]
    decided: Any = None
    decided_by: str = ""


@dataclass(frozen=True)
class Reconciliation:
    """A study's state of reconciliation."""

    study: int
    reviewers: tuple[str, ...]
    agreed: int
    disagreements: tuple[Disagreement, ...]
    status: str

    @property
    def open(self) -> tuple[Disagreement, ...]:
        """Disagreements nobody decided yet."""
        return tuple(d for d in self.disagreements if not d.decided_by)


def same(a: Any, b: Any, tolerance: float = DEFAULT_TOLERANCE) -> bool:
    """Whether two typed values agree: numbers within `tolerance` (absolute or relative),
    multiple choices as sets, text after trimming."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)
    if isinstance(a, list) and isinstance(b, list):
        return set(a) == set(b)
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return bool(a == b)


def extraction_cells(form: FormDef, d: ExtractionData) -> dict[tuple[str, int], Any]:
    """An extraction's values by (field path, row): the unit reconciliation compares."""
    out: dict[tuple[str, int], Any] = {}
    for f in form.fields:
        if f.is_group:
            for i, row in d.rows.get(f.name, {}).items():
                for c in f.fields:
                    out[(c.path, i)] = row.get(c.name)
        else:
            out[(f.path, 0)] = d.values.get(f.name)
    return out


def compare(
    form: FormDef, a: ExtractionData, b: ExtractionData, tolerance: float = DEFAULT_TOLERANCE
) -> tuple[dict[tuple[str, int], Any], list[Disagreement]]:
    """Agreed values and disagreements between two extractions, in form order."""
    ca, cb = extraction_cells(form, a), extraction_cells(form, b)
    order = {f.path: i for i, f in enumerate(form.leaves())}
    keys = sorted(set(ca) | set(cb), key=lambda k: (order[k[0]], k[1]))
    agreed: dict[tuple[str, int], Any] = {}
    diff: list[Disagreement] = []
    for k in keys:
        va, vb = ca.get(k), cb.get(k)
        if va is None and vb is None:
            continue
        if va is not None and vb is not None and same(va, vb, tolerance):
            agreed[k] = va
        else:
            diff.append(Disagreement(k[0], k[1], {a.reviewer: va, b.reviewer: vb}))
    return agreed, diff


def _pair(store: Store, fv: FormVersion, study: int) -> tuple[list[ExtractionData], Any]:
    if protocol(store).extractors != 2:
        raise InvalidInputError(
            "the protocol has one extractor per study: there is nothing to reconcile",
            hint="dual extraction: set `extractors: 2` in the review's protocol",
        )
    all_ = load(store, fv, study=study)
    people = [d for d in all_ if d.reviewer != CONSENSUS]
    if len(people) != 2:
        raise InvalidInputError(
            f"study {study} has {len(people)} extractions under form {fv.name} "
            f"({', '.join(d.reviewer for d in people) or 'none'}); reconciling needs two",
            hint="dual extraction: set protocol extractors to 2 and have two reviewers extract",
        )
    cons = next((d for d in all_ if d.reviewer == CONSENSUS), None)
    return people, cons


def reconcile(
    store: Store,
    fv: FormVersion,
    study: int,
    *,
    decided_by: str,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Reconciliation:
    """Compare the two extractions of a study; agreed values go to the consensus extraction;
    when every disagreement has a decision the consensus is marked reconciled."""
    people, cons = _pair(store, fv, study)
    agreed, diff = compare(fv.form, people[0], people[1], tolerance)
    have = {} if cons is None else extraction_cells(fv.form, cons)
    new = {k: v for k, v in agreed.items() if have.get(k) is None}
    if new or cons is None:
        with store.session() as s:
            ext = get_extraction(s, study, fv.id, CONSENSUS)
            for (path, row), v in new.items():
                write_value(s, ext, path, v, row, decided_by)
    people, cons = _pair(store, fv, study)
    assert cons is not None
    have = extraction_cells(fv.form, cons)
    decided = tuple(
        Disagreement(
            d.field,
            d.row,
            d.values,
            have.get((d.field, d.row)),
            cons.actors.get((d.field, d.row), "") if have.get((d.field, d.row)) is not None else "",
        )
        for d in diff
    )
    status = cons.status
    if all(d.decided_by for d in decided) and status != "reconciled":
        status = set_status(store, fv, study, CONSENSUS, "reconciled", actor=decided_by).status
    return Reconciliation(study, tuple(d.reviewer for d in people), len(agreed), decided, status)


def decide(
    store: Store,
    fv: FormVersion,
    study: int,
    path: str,
    raw: Any,
    *,
    decided_by: str,
    row: int = 0,
) -> Any:
    """Record the consensus value of one field (validated like any value) and who decided."""
    _pair(store, fv, study)
    value = check_value(fv, path, raw, row)
    with store.session() as s:
        ext = get_extraction(s, study, fv.id, CONSENSUS)
        write_value(s, ext, path, value, row, decided_by)
        add_audit(
            s,
            decided_by,
            "extraction-consensus",
            f"extraction:{ext.id}",
            {"study": study, "field": path, "row": row, "value": value},
        )
    return value
