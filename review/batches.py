"""Import batches that stay invisible while they load, and cleaning up after a crashed import.

An import writes its records in short transactions into a batch whose `state` is "loading",
so a reviewer deciding meanwhile waits for one chunk at most, never for the whole file. Until
one final short commit sets the batch "done", the batch and its records are invisible: every
ORM query through a `Store` session gets `visible_record()` added (a `do_orm_execute` hook),
and the few Core queries that read `record` add it themselves.

A loading batch whose process died (same host, pid gone) or that has shown no sign of life
for `STALE_AFTER` is removed the next time the review is opened or an import waits for it:
rows that were never visible, the one delete litsift makes.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from review.db import Store
from review.models import AuditEntry, ImportBatch, ImportWarning, QuarantinedEntry, Record, utcnow

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)  # no heartbeat for this long: the loader is gone
DELETE_CHUNK = 5000

_batch = ImportBatch.__table__  # type: ignore[attr-defined]
_record = Record.__table__  # type: ignore[attr-defined]


def loader_id() -> str:
    """Who is loading: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def loading_batch_ids() -> Any:
    """A subquery of the ids of batches still loading."""
    return select(_batch.c.id).where(_batch.c.state == "loading").scalar_subquery()


def visible_record(table: Any = _record) -> ColumnElement[bool]:
    """A condition true for records of finished batches (for Core queries on `record`)."""
    return table.c.batch_id.not_in(loading_batch_ids())


def _hide_loading(state: ORMExecuteState) -> None:
    """Add the visibility criteria to every ORM select on records and batches."""
    if state.is_select and not state.is_column_load and not state.is_relationship_load:
        state.statement = state.statement.options(
            with_loader_criteria(
                Record, lambda cls: cls.batch_id.not_in(loading_batch_ids()), include_aliases=True
            ),
            with_loader_criteria(ImportBatch, lambda cls: cls.state != "loading"),
        )


event.listen(Session, "do_orm_execute", _hide_loading)


def _alive(loader: str, heartbeat: datetime | None, now: datetime) -> bool:
    host, _, pid = loader.rpartition(":")
    if heartbeat is not None:
        beat = heartbeat if heartbeat.tzinfo else heartbeat.replace(tzinfo=now.tzinfo)
        if now - beat > STALE_AFTER:
            return False
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True


def remove_abandoned(store: Store, *, actor: str = "") -> list[int]:
    """Remove loading batches whose importer is gone; returns their ids."""
    with store.begin() as conn:
        rows = conn.execute(
            select(_batch.c.id, _batch.c.loader, _batch.c.heartbeat_at).where(
                _batch.c.state == "loading"
            )
        ).all()
    now = utcnow()
    gone = [bid for bid, loader, beat in rows if not _alive(loader, beat, now)]
    for bid in gone:
        remove_batch(store, bid, actor=actor, why="abandoned by a crashed or killed import")
    return gone


def remove_batch(store: Store, batch_id: int, *, actor: str = "", why: str = "") -> None:
    """Delete a loading batch and its rows, in short transactions; the batch row goes last
    (so a crash part-way leaves a loading batch to finish the job next time)."""
    for table in (
        _record,
        QuarantinedEntry.__table__,  # type: ignore[attr-defined]
        ImportWarning.__table__,  # type: ignore[attr-defined]
    ):
        while True:
            with store.begin() as conn:
                ids = select(table.c.id).where(table.c.batch_id == batch_id).limit(DELETE_CHUNK)
                n = conn.execute(delete(table).where(table.c.id.in_(ids))).rowcount
            if n < DELETE_CHUNK:
                break
    with store.begin() as conn:
        n = conn.execute(
            delete(_batch).where(_batch.c.id == batch_id, _batch.c.state == "loading")
        ).rowcount
        if n:
            conn.execute(
                insert(AuditEntry.__table__).values(  # type: ignore[attr-defined]
                    at=utcnow(),
                    actor=actor,
                    action="import-abandoned",
                    target=f"batch:{batch_id}",
                    detail={"why": why},
                )
            )
            log.info("removed unfinished import batch %d (%s)", batch_id, why)


def heartbeat(conn: Connection, batch_id: int) -> None:
    """Mark a loading batch alive (inside a chunk's transaction)."""
    conn.execute(update(_batch).where(_batch.c.id == batch_id).values(heartbeat_at=utcnow()))
