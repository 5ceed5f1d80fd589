"""Turning a reader's raw field values into the normalised columns of a record."""

from __future__ import annotations

from review.normalize import (
    clean_text,
    collapse,
    dedupe_keep_order,
    normalize_doi,
    normalize_pmid,
    parse_year,
)
from review.readers.base import LIST_FIELDS, TEXT_FIELDS

_BLANK = {"na", "n/a", "nan", "none", "null", "-"}


def _text(value: object) -> str:
    if value is None:
        return ""
    s = collapse(str(value))
    return "" if s.lower() in _BLANK else s


def normalize_fields(fields: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Clean every field; return (columns, warnings about oddities that do not stop a record)."""
    out: dict[str, object] = {}
    warnings: list[str] = []
    for name in TEXT_FIELDS:
        value = _text(fields.get(name))
        if name in ("title", "abstract", "journal"):
            value = clean_text(value)
        out[name] = value
    raw_doi = out["doi"]
    out["doi"] = normalize_doi(str(raw_doi))
    if raw_doi and not out["doi"]:
        warnings.append(f"DOI {raw_doi!r} is not a DOI; kept in the raw entry only")
    out["pmid"] = normalize_pmid(str(out["pmid"]))
    for name in LIST_FIELDS:
        value = fields.get(name) or []
        items = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
        out[name] = dedupe_keep_order([c for c in (clean_text(str(v)) for v in items) if c])
    year_raw = fields.get("year")
    year = parse_year(year_raw if isinstance(year_raw, int) else _text(year_raw))
    out["year"] = year
    if year is None and _text(year_raw):
        warnings.append(f"year {_text(year_raw)!r} is not a year; left empty")
    if not out["title"]:
        warnings.append("no title")
    return out, warnings
