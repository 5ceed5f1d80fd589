"""Extractions as tables: `wide` (one row per study and reviewer; each repeating group in a
table of its own keyed by study) and `long` (study, field, row, value, unit, reviewer, status),
plus the codebook (field, label, type, unit, allowed values, help)."""

from __future__ import annotations

from dataclasses import dataclass
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

    def as_text(self) -> list[list[str]]:
        """Cells as text (CSV): lists joined with '; ', booleans as true/false."""
        return [[format_value(c) for c in r] for r in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """Rows as mappings (JSON)."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def wide(form: FormDef, data: list[ExtractionData]) -> list[Table]:
    """The main table, then one table per repeating group."""
    scalars = [f for f in form.fields if not f.is_group]
    main = tuple(
        (d.study, d.reviewer, d.status, *(d.values.get(f.name) for f in scalars)) for d in data
    )
    out = [Table(MAIN, ("study", "reviewer", "status", *(f.name for f in scalars)), main)]
    for g in form.groups:
        rows = tuple(
            (d.study, d.reviewer, i, *(d.rows[g.name][i].get(c.name) for c in g.fields))
            for d in data
            for i in sorted(d.rows.get(g.name, {}))
        )
        out.append(Table(g.name, ("study", "reviewer", "row", *(c.name for c in g.fields)), rows))
    return out


def long(form: FormDef, data: list[ExtractionData]) -> Table:
    """One row per value, in form order."""
    rows: list[tuple[Any, ...]] = []
    for d in data:
        for f in form.fields:
            if not f.is_group:
                v = d.values.get(f.name)
                if v is not None:
                    rows.append((d.study, f.path, "", v, f.unit, d.reviewer, d.status))
                continue
            for i in sorted(d.rows.get(f.name, {})):
                for c in f.fields:
                    v = d.rows[f.name][i].get(c.name)
                    if v is not None:
                        rows.append((d.study, c.path, i, v, c.unit, d.reviewer, d.status))
    return Table(MAIN, LONG_COLUMNS, tuple(rows))


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
