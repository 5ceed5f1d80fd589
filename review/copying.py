"""Moving a whole review between databases (SQLite file ↔ PostgreSQL), backup and restore.

Every table of the schema is copied, in dependency order, by iterating `SQLModel.metadata`
(a table added by a later migration is copied without a change here), then verified: the
target must hold the same number of rows and the same checksum per table as the source.
The target must be empty. A copy is all or nothing: a SQLite target is written to a
temporary file beside it and moved into place once verified; a PostgreSQL target is written
in one transaction. Rows of an import still loading (invisible) are not copied.

`backup` of a SQLite review uses SQLite's online backup API (a consistent snapshot while
teammates keep working); `restore` brings a backup file into an empty database, migrating a
copy of it first if it is from an older litsift (the backup file itself is never changed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, inspect, select, text
from sqlmodel import SQLModel

from review import models  # noqa: F401  (registers every table on SQLModel.metadata)
from review.batches import loading_batch_ids
from review.db import Store, resolve_url
from review.errors import InvalidInputError, LitsiftError
from review.raw_entry import record_raw

log = logging.getLogger(__name__)

CHUNK = 2000


class CopyError(LitsiftError):
    """A copy did not verify (its target was discarded) or cannot start."""

    title = "copy failed"


@dataclass
class TableCheck:
    """One table's row count and checksum in the source and the target."""

    table: str
    rows: int
    checksum: str
    target_rows: int = 0
    target_checksum: str = ""

    @property
    def ok(self) -> bool:
        return self.rows == self.target_rows and self.checksum == self.target_checksum


@dataclass
class CopyReport:
    """What a copy, backup or restore did: the target and one check per table."""

    source: str
    target: str
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "rows": self.rows, "verified": all(t.ok for t in self.tables)}


def _tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The table's visible rows in primary-key order."""
    q = select(table).order_by(*table.primary_key.columns)
    if table.name == "import_batch":
        q = q.where(table.c.state != "loading")
    elif "batch_id" in table.c and table.name in ("record", "quarantine", "import_warning"):
        q = q.where(table.c.batch_id.not_in(loading_batch_ids()))
    result = conn.execution_options(yield_per=CHUNK).execute(q)
    for row in result:
        yield dict(row._mapping)


def _normal(value: Any) -> Any:
    """A value in a form both backends give back alike (for checksums)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def _plain(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    if table.name == "record":  # the raw entry, whole (SQLite may keep it packed)
        row = {**row, "raw": record_raw(row["raw"], row["abstract"])}
    return row


def _checksum(conn: Connection, table: Table) -> tuple[int, str]:
    h, n = hashlib.sha256(), 0
    for row in _rows(conn, table):
        row = _plain(table, row)
        h.update(json.dumps([_normal(row[c.name]) for c in table.columns], default=str).encode())
        h.update(b"\n")
        n += 1
    return n, h.hexdigest()


def _check_empty(target: Store) -> None:
    names = set(inspect(target.engine).get_table_names())
    with target.begin() as conn:
        for table in _tables():
            if table.name in names and conn.execute(select(table).limit(1)).first():
                raise InvalidInputError(
                    f"{target.url} already holds data (table {table.name})",
                    hint="copy into a new file or an empty PostgreSQL database",
                )


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: serial ids continue after the copied ones."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].name == "id":
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"
                )
            )


def _copy_into(source: Store, conn: Connection, report: CopyReport) -> None:
    packed_ok = conn.dialect.name == "sqlite"
    with source.begin() as src:
        for table in _tables():
            batch: list[dict[str, Any]] = []
            for row in _rows(src, table):
                batch.append(row if packed_ok else _plain(table, row))
                if len(batch) >= CHUNK:
                    conn.execute(table.insert(), batch)
                    batch.clear()
            if batch:
                conn.execute(table.insert(), batch)


def verify(source: Store, target: Store, report: CopyReport) -> None:
    """Compare row counts and checksums of every table; raise CopyError on a difference."""
    with source.begin() as a, target.begin() as b:
        for table in _tables():
            rows, checksum = _checksum(a, table)
            t_rows, t_checksum = _checksum(b, table)
            report.tables.append(TableCheck(table.name, rows, checksum, t_rows, t_checksum))
    bad = [t.table for t in report.tables if not t.ok]
    if bad:
        raise CopyError(
            f"the copy in {target.url} differs from {source.url} in: {', '.join(bad)}",
            hint="the target was discarded; report this as a bug",
        )


def _sqlite_target(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def copy_review(source: Store, to: str) -> CopyReport:
    """Copy the whole review in `source` to `to` (a path or URL of an empty database) and
    verify it. All or nothing: a failed copy leaves no review at `to`."""
    url = resolve_url(to)
    report = CopyReport(source=source.url, target=url)
    path = _sqlite_target(url)
    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            raise InvalidInputError(
                f"{path} already exists", hint="copy into a new file (nothing is overwritten)"
            )
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        target = Store(f"sqlite:///{tmp}")
        try:
            SQLModel.metadata.create_all(target.engine)
            with target.begin() as conn:
                _copy_into(source, conn, report)
            verify(source, target, report)
            target.dispose()
            _move_into_place(tmp, path)
        except BaseException:
            target.dispose()
            tmp.unlink(missing_ok=True)
            raise
        return report
    target = Store(url)
    try:
        _check_empty(target)
        with target.begin() as conn:
            SQLModel.metadata.create_all(conn)
            _copy_into(source, conn, report)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
        try:
            verify(source, target, report)
        except CopyError:
            with target.begin() as conn:  # nothing else can have written there yet
                for table in reversed(_tables()):
                    conn.execute(table.delete())
            raise
    finally:
        target.dispose()
    return report


def _move_into_place(tmp: Path, path: Path) -> None:
    """Rename a finished file to its name, refusing to replace one that appeared meanwhile."""
    try:
        os.link(tmp, path)  # fails if `path` exists: never overwrite
    except FileExistsError as e:
        raise InvalidInputError(f"{path} appeared while copying", hint="choose another name") from e
    tmp.unlink()


def backup(source: Store, file: str | Path) -> CopyReport:
    """Write the review to a new SQLite file: SQLite's online backup for a SQLite review,
    else a verified copy."""
    path = Path(file).expanduser().resolve()
    src_path = source.path
    if src_path is None:
        return copy_review(source, str(path))
    if path.exists():
        raise InvalidInputError(f"{path} already exists", hint="back up to a new file")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    report = CopyReport(source=source.url, target=f"sqlite:///{path}")
    try:
        with sqlite3.connect(src_path, timeout=60) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        target = Store(f"sqlite:///{tmp}")
        try:
            verify(source, target, report)
        finally:
            target.dispose()
        _move_into_place(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        for extra in ("-wal", "-shm"):
            Path(f"{tmp}{extra}").unlink(missing_ok=True)
        raise
    return report


def restore(file: str | Path, to: str) -> CopyReport:
    """Bring the review in backup `file` into `to` (a new file or an empty database). A
    backup from an older litsift is migrated on a temporary copy first."""
    from review.service import open_review  # the service opens and migrates reviews

    path = Path(file).expanduser().resolve()
    if not path.is_file():
        raise InvalidInputError(
            f"{path} is not a file", hint="name a file made by `litsift backup`"
        )
    with tempfile.TemporaryDirectory(prefix="litsift-restore-") as work:
        staged = Path(work) / "review.db"
        with sqlite3.connect(path) as src, sqlite3.connect(staged) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        store = open_review(str(staged))
        try:
            report = copy_review(store, to)
        finally:
            store.dispose()
    report.source = f"sqlite:///{path}"
    return report
