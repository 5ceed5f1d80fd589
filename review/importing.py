"""Importing files into a review: all or nothing per file; counts always add up.

Every entry a reader yields becomes either a record (good entries, with warnings for oddities)
or a quarantine row (bad entries, kept verbatim with their line and the reason), so that
`entries = imported + quarantined`. A file with no entry at all, or one that fails as a whole,
is refused and leaves no trace.

The records are written in short transactions into a batch that stays invisible ("loading")
until one final short commit makes it visible (review/batches.py), so a reviewer deciding
during a long import never waits for more than one chunk. One import loads at a time (a
unique `loading_slot`), which keeps record ids in import order for deduplication; "the same
file twice" is the unique `sha_key` (NULL for `--again`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from review import batches
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

CHUNK = 2000  # records per transaction
WAIT_FOR_SLOT_S = 3600.0  # how long an import waits for another one to finish
ProgressFn = Callable[[int, int], None]  # (entries so far, bytes total)


class ImportOptions(TypedDict, total=False):
    """How to read and label a file, as `import_files` passes them on to `import_file`."""

    fmt: str | None
    source_name: str
    source_type: str
    again: bool
    encoding: str | None
    actor: str
    labels_as: str | None


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
    """(batch id, file name) of an earlier finished import of the same bytes."""
    batch = _tables()[0]
    with store.begin() as conn:
        row = conn.execute(
            select(batch.c.id, batch.c.file_name)
            .where(batch.c.sha256 == sha256, batch.c.state == "done")
            .limit(1)
        ).first()
    return (row[0], row[1]) if row else None


def _duplicate(source: SourceFile, earlier: tuple[int, str] | None) -> DuplicateImportError:
    where = f"batch {earlier[0]}, {earlier[1]}" if earlier else "by another import right now"
    return DuplicateImportError(
        f"{source.path}: the same file was already imported ({where})",
        hint="pass --again to import it once more",
    )


def _start_batch(
    store: Store,
    source: SourceFile,
    reader: Reader,
    source_name: str,
    source_type: str,
    again: bool,
) -> int:
    """Insert the loading batch row, waiting while another import loads. Raises
    DuplicateImportError when the same file is imported (or being imported) already."""
    batch_t = _tables()[0]
    values = dict(
        file_name=source.name,
        file_path=str(source.path.resolve()),
        sha256=source.sha256,
        size_bytes=source.size,
        format=reader.name,
        encoding=source.encoding,
        source_name=source_name or source.path.stem,
        source_type=source_type,
        state="loading",
        sha_key=None if again else source.sha256,
        loading_slot=1,
        loader=batches.loader_id(),
    )
    deadline, pause = time.monotonic() + WAIT_FOR_SLOT_S, 0.05
    while True:
        try:
            with store.begin() as conn:
                now = utcnow()
                return int(
                    conn.execute(
                        insert(batch_t).values(**values, imported_at=now, heartbeat_at=now)
                    ).inserted_primary_key[0]  # type: ignore[index]
                )
        except IntegrityError as e:
            if not again:
                with store.begin() as conn:
                    taken = conn.execute(
                        select(batch_t.c.id).where(batch_t.c.sha_key == source.sha256)
                    ).first()
                if taken is not None:
                    raise _duplicate(source, find_batch_by_sha(store, source.sha256)) from e
            if time.monotonic() > deadline:
                raise InvalidInputError(
                    f"{source.path}: another import has been running for too long",
                    hint="try again when it has finished",
                ) from e
            batches.remove_abandoned(store)  # the other import may have crashed
            time.sleep(pause)
            pause = min(pause * 2, 0.5)


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
        raise _duplicate(source, earlier)
    reader = get_reader(fmt) if fmt else detect_reader(source)
    report = ImportReport(file=str(path), format=reader.name, encoding=source.encoding)
    batch_id = _start_batch(store, source, reader, source_name, source_type, again)
    report.batch_id = batch_id
    try:
        labels, n_warnings = _run(store, batch_id, reader, source, report, progress)
        if require_records and report.imported == 0:
            raise ImportFormatError(
                f"{source.path}: no entry in it could be read "
                f"({len(report.quarantined)} rejected: {report.quarantined[0].reason})"
                if report.quarantined
                else f"{source.path}: no entry in it could be read"
            )
        if fmt and report.imported == 0:
            raise _forced_format_error(source, reader, report)
        if report.entries == 0:
            raise ImportFormatError(
                f"{source.path}: read as {reader.name}, but no entries were found in it",
                hint="check the file is a complete export, or name its format with --format",
            )
        with store.begin() as conn:  # the one short commit that makes the batch visible
            if labels_as is not None:
                _label_decisions(conn, report, labels, labels_as, source.name)
            _finish(conn, batch_id, source, reader, report, n_warnings, actor)
    except UnicodeDecodeError as e:
        batches.remove_batch(store, batch_id, actor=actor, why="refused")
        raise ImportFormatError(
            f"{source.path}: cannot be decoded as {source.encoding} ({e.reason} at byte "
            f"{e.start} of a block)",
            hint="pass --encoding with the file's encoding (e.g. cp1252, gb18030, utf-16)",
        ) from e
    except BaseException:
        batches.remove_batch(store, batch_id, actor=actor, why="refused")
        raise
    if progress:
        progress(report.entries, source.size)
    report.warnings = source.warnings + report.warnings
    return report


def _forced_format_error(
    source: SourceFile, reader: Reader, report: ImportReport
) -> ImportFormatError:
    """A format named with --format under which no record could be read: refused (the
    transaction is rolled back), naming the format detection would choose."""
    try:
        detected = detect_reader(source).name
    except ImportFormatError:
        detected = ""
    first = f"; first: {report.quarantined[0].reason}" if report.quarantined else ""
    hint = (
        f"its content looks like {detected}: try --format {detected} or leave --format out"
        if detected and detected != reader.name
        else "check the file is a complete export, or leave --format out to detect its format"
    )
    return ImportFormatError(
        f"{source.path}: read as {reader.name} (--format), but no record could be read "
        f"({len(report.quarantined)} of {report.entries} entries rejected{first}); "
        "nothing was imported"
        if report.entries
        else f"{source.path}: read as {reader.name} (--format), but no entries were found in "
        "it; nothing was imported",
        hint=hint,
    )


def _run(
    store: Store,
    batch_id: int,
    reader: Reader,
    source: SourceFile,
    report: ImportReport,
    progress: ProgressFn | None,
) -> tuple[dict[int, str], int]:
    """Store the file's entries into the loading batch, one short transaction per chunk;
    returns the labels found in it by entry position and the number of warnings."""
    records: list[tuple[object, ...]] = []
    rejected: list[tuple[object, ...]] = []
    warned: list[tuple[object, ...]] = []
    n_warnings = 0
    labels: dict[int, str] = {}
    record_columns = ("batch_id", "position", *RECORD_VALUE_COLUMNS)

    def flush() -> None:
        with store.begin() as conn:
            for table, columns, rows in (
                ("record", record_columns, records),
                ("quarantine", ("batch_id", "line", "reason", "raw"), rejected),
                ("import_warning", ("batch_id", "line", "source_key", "message"), warned),
            ):
                if rows:
                    bulk_insert(conn, table, columns, rows)
                    rows.clear()
            batches.heartbeat(conn, batch_id)

    # SQLite stores the raw entry without its abstract (review/raw_entry.py)
    pack = store.is_sqlite
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
        return labels, n_warnings  # refused by the caller, which removes the batch
    if n_warnings > len(report.warnings):
        report.warnings.append(f"... and {n_warnings - len(report.warnings)} more warnings")
    assert report.entries == report.imported + len(report.quarantined)
    return labels, n_warnings


def _finish(
    conn: Connection,
    batch_id: int,
    source: SourceFile,
    reader: Reader,
    report: ImportReport,
    n_warnings: int,
    actor: str,
) -> None:
    """Make the batch visible with its counts, and log the import."""
    batch_t, audit_t = ImportBatch.__table__, AuditEntry.__table__  # type: ignore[attr-defined]
    done = conn.execute(
        update(batch_t)
        .where(batch_t.c.id == batch_id, batch_t.c.state == "loading")
        .values(
            n_entries=report.entries,
            n_imported=report.imported,
            n_quarantined=len(report.quarantined),
            n_warnings=n_warnings + len(source.warnings),
            state="done",
            loading_slot=None,
            heartbeat_at=None,
        )
    ).rowcount
    if done != 1:  # removed as abandoned meanwhile (taken for a crashed import)
        raise InvalidInputError(
            f"{source.path}: the import was interrupted (its batch was removed)",
            hint="import the file again",
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
