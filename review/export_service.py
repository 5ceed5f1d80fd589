"""Exporting records (with their current decision) and the decision log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Any, TextIO

from sqlmodel import col, select

from review import export_view, exports
from review.db import Store
from review.decision_service import list_decisions
from review.decisions import current_decisions_subquery
from review.errors import InvalidInputError
from review.models import Decision, Record
from review.records import record_dict


def iter_records(store: Store, *, stage: str = "title-abstract") -> Iterator[dict[str, Any]]:
    """Every record (import order) with its current decision label at `stage`."""
    with store.session() as s:
        sub = current_decisions_subquery(stage)
        q = (
            select(Record, Decision.label)
            .outerjoin(sub, sub.c.record_id == Record.id)
            .outerjoin(Decision, col(Decision.id) == sub.c.decision_id)
            .order_by(col(Record.id))
        )
        for r, label in s.exec(q).yield_per(1000):
            d = record_dict(r)
            d["label"] = label
            yield d


def export_records(
    store: Store, fmt: str, out: TextIO, flt: export_view.ExportFilter | None = None
) -> int:
    """Write the records (all, or those passing `flt`) in `fmt` (csv, json, ris, bibtex)
    with decisions by stage, notes, tags, cluster and source; returns the number written."""
    return export_view.write_export(store, fmt, out, flt)


def export_decisions(store: Store, fmt: str, out: TextIO) -> int:
    """Write one row per decision (csv or json)."""
    if fmt not in ("csv", "json"):
        raise InvalidInputError(f"unknown export format {fmt!r}", hint="one of: csv, json")
    rows = [asdict(d) for d in list_decisions(store)]
    return exports.write_decisions(rows, fmt, out)
