"""Summary tables of the included studies: counts of studies per cell of one or two fields
(a cross-tab), and the characteristics-of-included-studies table (one row per study).

Counts are of studies, never reports, from each study's settled values
(`extraction.synthesis.settled`). A multiple-choice field counts a study under each option it
ticked; a column of a repeating group counts a study under each value of any of its rows (once);
two columns of the same group pair values within a row. Choice and boolean fields show every
allowed value, zero rows and columns included; countries show by name.

>>> t = count_table(store, rows="country", cols="policy_area")
>>> t.rows()          # [("United Kingdom", 1, 0, ...), ...] under t.columns
>>> t.to_frame()      # a pandas DataFrame (pip install litsift[pandas])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pycountry

from extraction.forms import FieldDef, FormDef, format_value
from extraction.synthesis.settled import StudyValues, settled_values
from review.db import Store
from review.errors import InvalidInputError, LitsiftError

NOT_REPORTED = "(not reported)"
UNSETTLED = "(unsettled)"
TOTAL = "total studies"


class UnknownFieldError(InvalidInputError):
    """A field the form does not have (or a group named where a column is needed)."""

    title = "unknown field"


class PandasMissingError(LitsiftError):
    """pandas is an optional extra."""

    title = "pandas not installed"


def country_name(code: str) -> str:
    """A country's common name from its ISO 3166 alpha-3 code (the code when unknown)."""
    hit = pycountry.countries.get(alpha_3=code)
    if hit is None:
        return code
    return str(getattr(hit, "common_name", None) or hit.name)


def display(f: FieldDef, value: Any) -> str:
    """A value as a reader sees it: a choice's label, a country's name, yes/no."""
    if f.type == "country" and isinstance(value, str):
        return country_name(value)
    if f.type in ("choice", "multi_choice"):
        labels = {c.value: c.label for c in f.choices}
        if isinstance(value, list):
            return "; ".join(labels.get(v, str(v)) for v in value)
        return labels.get(value, str(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format_value(value)


def resolve_field(form: FormDef, path: str) -> FieldDef:
    """A field to count by, or UnknownFieldError naming it and listing the fields."""
    paths = [f.path for f in form.leaves()]
    names = ", ".join(paths)
    try:
        f = form.field(path)
    except InvalidInputError:
        raise UnknownFieldError(
            f"form {form.name!r} has no field {path!r}", hint=f"fields: {names}"
        ) from None
    if f.is_group:
        cols = ", ".join(c.path for c in f.fields)
        raise UnknownFieldError(
            f"{path} is a repeating group: name one of its columns", hint=f"columns: {cols}"
        )
    return f


@dataclass(frozen=True)
class Axis:
    """The categories of one field: `keys` (typed values; NOT_REPORTED/UNSETTLED last, when
    some study has no value) and their `labels`."""

    field: str
    label: str
    keys: tuple[Any, ...]
    labels: tuple[str, ...]


def _keys(f: FieldDef, present: Iterable[Any]) -> list[Any]:
    if f.type in ("choice", "multi_choice"):
        return [c.value for c in f.choices]
    if f.type == "boolean":
        return [True, False]
    seen = list(dict.fromkeys(present))
    if f.type == "country":
        return sorted(seen, key=lambda v: country_name(str(v)))
    return sorted(seen, key=lambda v: (str(type(v)), v))


def _study_keys(s: StudyValues, f: FieldDef) -> list[Any]:
    vals = s.get(f.path)
    if f.type == "multi_choice":
        flat: list[Any] = []
        for v in vals:
            flat.extend(x for x in (v if isinstance(v, list) else [v]) if x not in flat)
        vals = flat
    if vals:
        return vals
    return [UNSETTLED if f.path in s.unsettled else NOT_REPORTED]


def _axis(f: FieldDef, studies: Sequence[StudyValues], missing: bool) -> Axis:
    present = [k for s in studies for k in _study_keys(s, f)]
    keys = _keys(f, (k for k in present if k not in (NOT_REPORTED, UNSETTLED)))
    if missing:
        keys += [m for m in (UNSETTLED, NOT_REPORTED) if m in present]
    labels = tuple(k if k in (NOT_REPORTED, UNSETTLED) else display(f, k) for k in keys)
    return Axis(f.path, f.label or f.name, tuple(keys), labels)


def _pairs(s: StudyValues, fr: FieldDef, fc: FieldDef | None) -> set[tuple[Any, Any]]:
    if fc is None:
        return {(k, None) for k in _study_keys(s, fr)}
    gr, gc = fr.path.split(".")[0], fc.path.split(".")[0]
    if "." in fr.path and gr == gc:  # two columns of one group: pair them within a row
        out: set[tuple[Any, Any]] = set()
        for row in s.rows.get(gr, []):
            r = row.get(fr.name, NOT_REPORTED)
            c = row.get(fc.name, NOT_REPORTED)
            out.add((r, c))
        return out or {(NOT_REPORTED, NOT_REPORTED)}
    return {(r, c) for r in _study_keys(s, fr) for c in _study_keys(s, fc)}


@dataclass(frozen=True)
class CountTable:
    """Studies per cell: `cells[(row key, col key)]` holds the study ids (col key None
    for a one-field table). `studies` is every study counted; `names` their names."""

    form: str
    row_axis: Axis
    col_axis: Axis | None
    cells: dict[tuple[Any, Any], tuple[int, ...]]
    studies: tuple[int, ...]
    names: dict[int, str] = field(default_factory=dict)
    unsettled: dict[int, tuple[str, ...]] = field(default_factory=dict)  # on these fields

    @property
    def col_keys(self) -> tuple[Any, ...]:
        return self.col_axis.keys if self.col_axis else (None,)

    def ids(self, row: Any, col: Any = None) -> tuple[int, ...]:
        """The studies in one cell."""
        return self.cells.get((row, col), ())

    def count(self, row: Any, col: Any = None) -> int:
        return len(self.ids(row, col))

    def row_total(self, row: Any) -> int:
        """Distinct studies in a row (a study in several columns counts once)."""
        return len({i for c in self.col_keys for i in self.ids(row, c)})

    def col_total(self, col: Any) -> int:
        return len({i for r in self.row_axis.keys for i in self.ids(r, col)})

    def empty_cells(self) -> list[tuple[Any, Any]]:
        """Cells no study is in: the gaps."""
        return [(r, c) for r in self.row_axis.keys for c in self.col_keys if not self.ids(r, c)]

    @property
    def columns(self) -> tuple[str, ...]:
        """Header of `rows()`: the row field's label, each column, then the row's total."""
        cols = self.col_axis.labels if self.col_axis else ("studies",)
        return (self.row_axis.label, *cols, *((TOTAL,) if self.col_axis else ()))

    def rows(self, *, ids: bool = False) -> list[tuple[Any, ...]]:
        """One tuple per row value: its label, the count of each column (with `ids`, the
        tuple of study ids instead), then (two fields) the row's distinct studies."""
        out = []
        for r, label in zip(self.row_axis.keys, self.row_axis.labels, strict=True):
            cells = [self.ids(r, c) if ids else self.count(r, c) for c in self.col_keys]
            out.append((label, *cells, *((self.row_total(r),) if self.col_axis else ())))
        return out

    def to_frame(self) -> Any:
        """The counts as a pandas DataFrame indexed by the row field's values."""
        pd = _pandas()
        df = pd.DataFrame.from_records(self.rows(), columns=list(self.columns))
        return df.set_index(self.columns[0])

    def to_json(self) -> dict[str, Any]:
        """The table as plain data (every cell with its study ids)."""
        ca = self.col_axis
        return {
            "form": self.form,
            "rows": {"field": self.row_axis.field, "values": _jsonable(self.row_axis)},
            "cols": None if ca is None else {"field": ca.field, "values": _jsonable(ca)},
            "cells": [
                {
                    "row": _plain(r),
                    "col": _plain(c),
                    "count": self.count(r, c),
                    "studies": list(self.ids(r, c)),
                }
                for r in self.row_axis.keys
                for c in self.col_keys
            ],
            "studies": len(self.studies),
            "unsettled": {str(k): list(v) for k, v in self.unsettled.items()},
        }


def _plain(v: Any) -> Any:
    return v if v is None or isinstance(v, str | int | float | bool) else format_value(v)


def _jsonable(a: Axis) -> list[dict[str, Any]]:
    return [{"value": _plain(k), "label": lb} for k, lb in zip(a.keys, a.labels, strict=True)]


def _pandas() -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped]
    except ImportError:
        raise PandasMissingError(
            "to_frame() needs pandas", hint="pip install 'litsift[pandas]'"
        ) from None
    return pd


def cross_tab(
    form: FormDef,
    studies: Sequence[StudyValues],
    rows: str,
    cols: str | None = None,
    *,
    missing: bool = True,
) -> CountTable:
    """Count studies per value of `rows` (and `cols`). With `missing`, studies with no value
    (or an unsettled one) are counted under "(not reported)" / "(unsettled)"."""
    fr = resolve_field(form, rows)
    fc = resolve_field(form, cols) if cols else None
    ra = _axis(fr, studies, missing)
    ca = _axis(fc, studies, missing) if fc else None
    cells: dict[tuple[Any, Any], list[int]] = {}
    for s in studies:
        for r, c in _pairs(s, fr, fc):
            if r in ra.keys and (ca is None or c in ca.keys):
                cells.setdefault((r, c), []).append(s.study)
    return CountTable(
        form.name,
        ra,
        ca,
        {k: tuple(v) for k, v in cells.items()},
        tuple(s.study for s in studies),
        {s.study: s.name for s in studies},
        {
            s.study: tuple(f for f in s.unsettled if f in (rows, cols))
            for s in studies
            if set(s.unsettled) & {rows, cols}
        },
    )


def count_table(
    store: Store,
    *,
    rows: str,
    cols: str | None = None,
    form: str | None = None,
    missing: bool = True,
) -> CountTable:
    """Studies per value of one field, or per cell of two, from the settled extractions."""
    fv, studies = settled_values(store, form)
    return cross_tab(fv.form, studies, rows, cols, missing=missing)


@dataclass(frozen=True)
class Characteristics:
    """The characteristics of included studies: one row per study, the named fields."""

    form: str
    fields: tuple[str, ...]
    labels: tuple[str, ...]
    studies: tuple[StudyValues, ...]
    cells: tuple[tuple[str, ...], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return ("study", "name", *self.labels)

    def rows(self) -> list[tuple[Any, ...]]:
        """One tuple per study: id, name, then each field as text (a group column's values
        joined with '; ', an unsettled field as "(unsettled)", an empty one as "")."""
        return [(s.study, s.name, *c) for s, c in zip(self.studies, self.cells, strict=True)]

    def to_frame(self) -> Any:
        """The table as a pandas DataFrame indexed by study id."""
        pd = _pandas()
        return pd.DataFrame.from_records(self.rows(), columns=list(self.columns)).set_index("study")

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "fields": list(self.fields),
            "studies": [
                dict(zip(("study", "name", *self.fields), r, strict=True)) for r in self.rows()
            ],
        }


def describe(
    form: FormDef, studies: Sequence[StudyValues], fields: Sequence[str]
) -> Characteristics:
    """The characteristics table of `studies` over `fields`."""
    defs = [resolve_field(form, f) for f in fields]
    cells = []
    for s in studies:
        row = []
        for f in defs:
            vals = s.get(f.path)
            if not vals and f.path in s.unsettled:
                row.append(UNSETTLED)
            else:
                row.append("; ".join(display(f, v) for v in vals))
        cells.append(tuple(row))
    return Characteristics(
        form.name,
        tuple(f.path for f in defs),
        tuple(f.label or f.name for f in defs),
        tuple(studies),
        tuple(cells),
    )


def characteristics(
    store: Store, *, fields: Sequence[str], form: str | None = None
) -> Characteristics:
    """One row per study with the settled values of `fields`."""
    if not fields:
        raise InvalidInputError("name the fields", hint="--fields country,policy_area,...")
    fv, studies = settled_values(store, form)
    return describe(fv.form, studies, fields)
