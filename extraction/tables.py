"""Extractions as tables: `wide` (one row per study and reviewer; each repeating group in a
table of its own keyed by study) and `long` (study, field, row, value, unit, reviewer, status),
plus the codebook (field, label, type, unit, allowed values, help)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from extraction.forms import FormDef, format_value
from extraction.storage import ExtractionData

Layout = Literal["wide", "long"]
LONG_COLUMNS = ("study", "field", "row", "value", "unit", "reviewer", "status")
CODEBOOK_COLUMNS = ("field", "label", "type", "unit", "allowed_values", "help", "required")
MAIN = "extraction"


@dataclass(frozen=True)
class Table:
    """A named table of typed cells."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    # columns that may hold values other than str, int and None (None: any column may)
    typed: tuple[int, ...] | None = field(default=None, compare=False)

    def as_text(self) -> list[list[str]]:
        """Cells as text (CSV): lists joined with '; ', booleans as true/false."""
        return [[format_value(c) for c in r] for r in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """Rows as mappings (JSON)."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def wide(form: FormDef, data: list[ExtractionData]) -> list[Table]:
    """The main table, then one table per repeating group."""
    scalars = [f.name for f in form.fields if not f.is_group]
    main = tuple(
        (d.study, d.reviewer, d.status, *[d.values.get(name) for name in scalars]) for d in data
    )
    columns = ("study", "reviewer", "status", *scalars)
    out = [Table(MAIN, columns, main, tuple(range(3, len(columns))))]
    for g in form.groups:
        names = [c.name for c in g.fields]
        rows = []
        for d in data:
            group = d.rows.get(g.name)
            if group:
                rows += [
                    (d.study, d.reviewer, i, *[group[i].get(name) for name in names])
                    for i in sorted(group)
                ]
        columns = ("study", "reviewer", "row", *names)
        out.append(Table(g.name, columns, tuple(rows), tuple(range(3, len(columns)))))
    return out


def long(form: FormDef, data: list[ExtractionData]) -> Table:
    """One row per value, in form order."""
    plan = [
        (f.name, f.path, f.unit, tuple((c.name, c.path, c.unit) for c in f.fields))
        for f in form.fields
    ]
    rows: list[tuple[Any, ...]] = []
    add = rows.append
    for d in data:
        study, reviewer, status, values = d.study, d.reviewer, d.status, d.values
        for name, path, unit, columns in plan:
            if not columns:
                v = values.get(name)
                if v is not None:
                    add((study, path, "", v, unit, reviewer, status))
                continue
            group = d.rows.get(name)
            if not group:
                continue
            for i in sorted(group):
                cells = group[i]
                for cname, cpath, cunit in columns:
                    v = cells.get(cname)
                    if v is not None:
                        add((study, cpath, i, v, cunit, reviewer, status))
    return Table(MAIN, LONG_COLUMNS, tuple(rows), (3,))


def codebook(form: FormDef) -> Table:
    """What each column means: for R and Stata users."""
    rows = []
    for f in form.leaves():
        allowed = "; ".join(f"{c.value}={c.label}" for c in f.choices)
        if f.type == "country":
            allowed = "ISO 3166-1 alpha-3"
        elif f.type == "boolean":
            allowed = "true; false"
        elif f.type == "date":
            allowed = "YYYY-MM-DD"
        elif f.min is not None or f.max is not None:
            lo = "" if f.min is None else format_value(f.min)
            hi = "" if f.max is None else format_value(f.max)
            allowed = f"{lo}..{hi}"
        rows.append((f.path, f.label, f.type, f.unit, allowed, f.help, f.required))
    return Table("codebook", CODEBOOK_COLUMNS, tuple(rows))
