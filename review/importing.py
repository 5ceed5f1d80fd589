"""Importing files into a review: one transaction per file; counts always add up.

Every entry a reader yields becomes either a record (good entries, with warnings for oddities)
or a quarantine row (bad entries, kept verbatim with their line and the reason), so that
`entries = imported + quarantined`. A file with no entry at all, or one that fails as a whole,
is refused and leaves no trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from review.db import Store
from review.entry_stream import RECORD_VALUE_COLUMNS, PreparedRecord, prepared_entries
from review.errors import DuplicateImportError, ImportFormatError, InvalidInputError
from review.models import (
    SOURCE_TYPES,
    AuditEntry,
    Decision,
    ImportBatch,
    ImportWarning,
    QuarantinedEntry,
    Record,
    utcnow,
)
from review.readers.base import Reader
from review.readers.registry import detect_reader, get_reader
from review.readers.source import SourceFile, open_source

log = logging.getLogger(__name__)

CHUNK = 2000
ProgressFn = Callable[[int, int], None]  # (entries so far, bytes total)


@dataclass
class QuarantineNote:
    """A rejected entry as reported to the user."""

    line: int
    reason: str


@dataclass
class ImportReport:
    """What importing one file did."""

    file: str
    format: str = ""
    encoding: str = ""
    batch_id: int | None = None
    entries: int = 0
    imported: int = 0
    quarantined: list[QuarantineNote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    decisions: int = 0  # labels from the file recorded as decisions (`labels_as`)

    def to_json(self) -> dict[str, Any]:
        """The shape of `litsift import --json` for one file."""
        d = asdict(self)
        d["quarantined"] = len(self.quarantined)
        d["quarantine"] = [asdict(q) for q in self.quarantined]
        return d


def _tables() -> tuple[Any, Any, Any, Any, Any]:
    return (
        ImportBatch.__table__,  # type: ignore[attr-defined]
        Record.__table__,  # type: ignore[attr-defined]
        QuarantinedEntry.__table__,  # type: ignore[attr-defined]
        ImportWarning.__table__,  # type: ignore[attr-defined]
        AuditEntry.__table__,  # type: ignore[attr-defined]
    )


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[object, ...]]
) -> None:
    """Insert many rows with the driver's own executemany: the hot path of a large import
    skips SQLAlchemy's per-row processing, which cost twice the insert itself (values are
    already plain, JSON already text)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    cursor = conn.connection.cursor()  # the driver's own, inside this transaction
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def find_batch_by_sha(store: Store, sha256: str) -> tuple[int, str] | None:
    """(batch id, file name) of an earlier import of the same bytes."""
    batch = _tables()[0]
    with store.begin() as conn:
        row = conn.execute(
            select(batch.c.id, batch.c.file_name).where(batch.c.sha256 == sha256).limit(1)
        ).first()
    return (row[0], row[1]) if row else None


def import_file(
    store: Store,
    path: str | Path,
    *,
    fmt: str | None = None,
    source_name: str = "",
    source_type: str = "database",
    again: bool = False,
    encoding: str | None = None,
    actor: str = "",
    progress: ProgressFn | None = None,
    require_records: bool = False,
    labels_as: str | None = None,
) -> ImportReport:
    """Import one file in one transaction. Raises ImportFormatError/DuplicateImportError;
    with `require_records`, a file in which no entry could be read is refused too. With
    `labels_as`, the file's labels (`label_included` 1/0) become that reviewer's
    title/abstract decisions, in the same transaction."""
    if source_type not in SOURCE_TYPES:
        raise InvalidInputError(
            f"unknown source type {source_type!r}", hint="one of: " + ", ".join(SOURCE_TYPES)
        )
    source = open_source(path, encoding)
    earlier = find_batch_by_sha(store, source.sha256)
    if earlier and not again:
        raise DuplicateImportError(
            f"{source.path}: the same file was already imported (batch {earlier[0]}, {earlier[1]})",
            hint="pass --again to import it once more",
        )
    reader = get_reader(fmt) if fmt else detect_reader(source)
    report = ImportReport(file=str(path), format=reader.name, encoding=source.encoding)
    try:
        with store.begin() as conn:
            labels = _run(conn, reader, source, report, source_name, source_type, actor, progress)
            if labels_as is not None:
                _label_decisions(conn, report, labels, labels_as, source.name)
            if require_records and report.imported == 0:
                raise ImportFormatError(
                    f"{source.path}: no entry in it could be read "
                    f"({len(report.quarantined)} rejected: {report.quarantined[0].reason})"
                    if report.quarantined
                    else f"{source.path}: no entry in it could be read"
                )
    except UnicodeDecodeError as e:
        raise ImportFormatError(
            f"{source.path}: cannot be decoded as {source.encoding} ({e.reason} at byte "
            f"{e.start} of a block)",
            hint="pass --encoding with the file's encoding (e.g. cp1252, gb18030, utf-16)",
        ) from e
    report.warnings = source.warnings + report.warnings
    return report


def _run(
    conn: Connection,
    reader: Reader,
    source: SourceFile,
    report: ImportReport,
    source_name: str,
    source_type: str,
    actor: str,
    progress: ProgressFn | None,
) -> dict[int, str]:
    """Store the file's entries; returns the labels found in it by entry position."""
    batch_t, audit_t = ImportBatch.__table__, AuditEntry.__table__  # type: ignore[attr-defined]
    batch_id = conn.execute(
        insert(batch_t).values(
            file_name=source.name,
            file_path=str(source.path.resolve()),
            sha256=source.sha256,
            size_bytes=source.size,
            format=reader.name,
            encoding=source.encoding,
            source_name=source_name or source.path.stem,
            source_type=source_type,
            imported_at=utcnow(),
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    report.batch_id = batch_id
    records: list[tuple[object, ...]] = []
    rejected: list[tuple[object, ...]] = []
    warned: list[tuple[object, ...]] = []
    n_warnings = 0
    labels: dict[int, str] = {}
    record_columns = ("batch_id", "position", *RECORD_VALUE_COLUMNS)

    def flush() -> None:
        for table, columns, rows in (
            ("record", record_columns, records),
            ("quarantine", ("batch_id", "line", "reason", "raw"), rejected),
            ("import_warning", ("batch_id", "line", "source_key", "message"), warned),
        ):
            if rows:
                bulk_insert(conn, table, columns, rows)
                rows.clear()

    # SQLite stores the raw entry without its abstract (review/raw_entry.py)
    pack = conn.dialect.name == "sqlite"
    for position, entry in enumerate(prepared_entries(reader, source, pack=pack), 1):
        report.entries += 1
        if isinstance(entry, PreparedRecord):
            values = entry.values
            if not values[1]:  # no key in the file: the entry's position is its key
                values = (values[0], str(position), *values[2:])
            records.append((batch_id, position, *values))
            report.imported += 1
            if entry.label:
                labels[position] = entry.label
            for w in entry.warnings:
                n_warnings += 1
                line, key = values[0], values[1]
                warned.append((batch_id, line, key, w))
                if len(report.warnings) < 200:
                    report.warnings.append(f"line {line} ({key}): {w}")
        else:
            rejected.append((batch_id, entry.line, entry.reason, entry.raw))
            report.quarantined.append(QuarantineNote(entry.line, entry.reason))
        if len(records) >= CHUNK or len(rejected) >= CHUNK:
            flush()
            if progress:
                progress(report.entries, source.size)
    flush()
    if report.entries == 0:
        raise ImportFormatError(
            f"{source.path}: read as {reader.name}, but no entries were found in it",
            hint="check the file is a complete export, or name its format with --format",
        )
    if n_warnings > len(report.warnings):
        report.warnings.append(f"... and {n_warnings - len(report.warnings)} more warnings")
    conn.execute(
        update(batch_t)
        .where(batch_t.c.id == batch_id)
        .values(
            n_entries=report.entries,
            n_imported=report.imported,
            n_quarantined=len(report.quarantined),
            n_warnings=n_warnings + len(source.warnings),
        )
    )
    conn.execute(
        insert(audit_t).values(
            at=utcnow(),
            actor=actor,
            action="import",
            target=f"batch:{batch_id}",
            detail={
                "file": source.name,
                "sha256": source.sha256,
                "format": reader.name,
                "entries": report.entries,
                "imported": report.imported,
                "quarantined": len(report.quarantined),
            },
        )
    )
    if progress:
        progress(report.entries, source.size)
    assert report.entries == report.imported + len(report.quarantined)
    return labels


INCLUDE_LABELS = frozenset({"1", "1.0", "true", "yes", "y", "include", "included"})
EXCLUDE_LABELS = frozenset({"0", "0.0", "false", "no", "n", "exclude", "excluded"})


def _label_decisions(
    conn: Connection, report: ImportReport, labels: dict[int, str], reviewer: str, name: str
) -> None:
    """The file's labels as `reviewer`'s title/abstract decisions (unreadable ones warned)."""
    record_t, decision_t = Record.__table__, Decision.__table__  # type: ignore[attr-defined]
    ids: dict[int, int] = dict(
        conn.execute(
            select(record_t.c.position, record_t.c.id).where(record_t.c.batch_id == report.batch_id)
        ).all()
    )
    now, rows, odd = utcnow(), [], 0
    for position, raw in sorted(labels.items()):
        v = raw.strip().lower()
        label = "include" if v in INCLUDE_LABELS else "exclude" if v in EXCLUDE_LABELS else None
        if label is None:
            odd += 1
            continue
        rows.append(
            {
                "record_id": ids[position],
                "stage": "title-abstract",
                "reviewer": reviewer,
                "label": label,
                "reason": "",
                "note": f"label_included in {name}",
                "created_at": now,
                "model_version": "",
            }
        )
    if rows:  # every decision writes its audit row, as `add_decision` does
        audit_t = AuditEntry.__table__  # type: ignore[attr-defined]
        made = conn.execute(
            insert(decision_t).returning(
                decision_t.c.id, decision_t.c.record_id, decision_t.c.label
            ),
            rows,
        ).all()
        conn.execute(
            insert(audit_t),
            [
                {
                    "at": now,
                    "actor": reviewer,
                    "action": "decide",
                    "target": f"record:{rid}",
                    "detail": {
                        "decision": did,
                        "stage": "title-abstract",
                        "label": label,
                        "reason": "",
                        "source": f"labels in {name}",
                    },
                }
                for did, rid, label in made
            ],
        )
    report.decisions = len(rows)
    if odd:
        report.warnings.append(f"{odd} labels were neither 1/0 nor include/exclude: ignored")
