"""Sources of records: each import batch is a database, a register, or another method
(website, organisation, citation searching) — the two columns of the PRISMA 2020 diagram.

Several files with the same source name and type are one source (counted together).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select

from review.audited import add_audit
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.models import SOURCE_TYPES, ImportBatch, Record

# PRISMA 2020's left column: databases and registers; the right: other methods.
DATABASE_COLUMN = ("database", "register")
OTHER_COLUMN = ("website", "organisation", "citation")


@dataclass
class SourceView:
    """One import batch as a source."""

    batch_id: int
    file_name: str
    name: str
    type: str
    records: int


def list_sources(store: Store) -> list[SourceView]:
    """Every import batch with its source name, type and record count."""
    with store.session() as s:
        counts = dict(
            s.exec(select(Record.batch_id, func.count()).group_by(col(Record.batch_id))).all()
        )
        return [
            SourceView(
                b.id or 0, b.file_name, b.source_name, b.source_type, counts.get(b.id or 0, 0)
            )
            for b in s.exec(select(ImportBatch).order_by(col(ImportBatch.id))).all()
        ]


def set_source(
    store: Store,
    batch_id: int,
    *,
    name: str | None = None,
    source_type: str | None = None,
    actor: str = "",
) -> SourceView:
    """Rename a batch's source or change its type (database, register, website,
    organisation, citation)."""
    if source_type is not None and source_type not in SOURCE_TYPES:
        raise InvalidInputError(
            f"unknown source type {source_type!r}", hint="one of: " + ", ".join(SOURCE_TYPES)
        )
    if name is not None and not name.strip():
        raise InvalidInputError("a source name cannot be blank", hint="give --name NAME")
    with store.session() as s:
        b = s.get(ImportBatch, batch_id)
        if b is None:
            raise NotFoundError(f"no import batch {batch_id}", hint="see `litsift source list`")
        old = {"name": b.source_name, "type": b.source_type}
        if name is not None:
            b.source_name = " ".join(name.split())
        if source_type is not None:
            b.source_type = source_type
        s.add(b)
        add_audit(
            s,
            actor,
            "source",
            f"batch:{batch_id}",
            {"old": old, "new": {"name": b.source_name, "type": b.source_type}},
        )
    return next(v for v in list_sources(store) if v.batch_id == batch_id)
