"""The quarantine: entries an import could not read, kept verbatim, listed and resolved by
importing a corrected copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from review.audited import add_audit
from review.db import Store
from review.errors import ImportFormatError, NotFoundError
from review.importing import ImportReport, import_file
from review.models import ImportBatch, QuarantinedEntry, utcnow


@dataclass
class QuarantineView:
    """A quarantined entry as listed to users."""

    id: int
    batch_id: int
    file_name: str
    line: int
    reason: str
    raw: str
    resolved: bool


def list_quarantine(store: Store, *, include_resolved: bool = False) -> list[QuarantineView]:
    """Entries that could not be imported, with their file, line, reason and raw text."""
    with store.session() as s:
        q = select(QuarantinedEntry, ImportBatch.file_name).join(
            ImportBatch, col(ImportBatch.id) == QuarantinedEntry.batch_id
        )
        if not include_resolved:
            q = q.where(col(QuarantinedEntry.resolved_at).is_(None))
        return [
            QuarantineView(
                e.id or 0, e.batch_id, name, e.line, e.reason, e.raw, e.resolved_at is not None
            )
            for e, name in s.exec(q.order_by(col(QuarantinedEntry.id))).all()
        ]


def resolve_quarantine(
    store: Store,
    entry_id: int,
    fixed_file: str | Path,
    *,
    fmt: str | None = None,
    actor: str = "",
) -> ImportReport:
    """Import a corrected copy of a quarantined entry and mark the entry resolved."""
    with store.session() as s:
        entry = s.get(QuarantinedEntry, entry_id)
        if entry is None:
            raise NotFoundError(f"no quarantined entry {entry_id}", hint="see `litsift quarantine`")
        batch = s.get(ImportBatch, entry.batch_id)
        assert batch is not None
        fmt = fmt or batch.format
    try:
        report = import_file(
            store,
            fixed_file,
            fmt=fmt,
            source_name=batch.source_name,
            source_type=batch.source_type,
            again=True,
            actor=actor,
            require_records=True,
        )
    except ImportFormatError as e:
        raise ImportFormatError(
            f"{e.message}; quarantined entry {entry_id} is left as it was", hint=e.hint
        ) from e
    with store.session() as s:
        entry = s.get(QuarantinedEntry, entry_id)
        assert entry is not None
        entry.resolved_at = utcnow()
        entry.resolved_batch_id = report.batch_id
        s.add(entry)
        add_audit(
            s, actor, "resolve-quarantine", f"quarantine:{entry_id}", {"batch": report.batch_id}
        )
    return report
