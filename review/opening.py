"""Opening a review: create or migrate its database, read and change its name."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import SQLModel, func, select

from review import batches
from review.db import Store, resolve_url
from review.errors import DatabaseUnavailableError, NotFoundError
from review.models import AuditEntry, Record, Review
from review.schema import check_and_migrate, create_schema

log = logging.getLogger(__name__)


def open_review(db: str | None = None, *, name: str | None = None, create: bool = True) -> Store:
    """Open the review at `db` (path or URL; default ./review.db or $LITSIFT_DB), creating it
    on first use (unless `create` is False: then a missing review is a `NotFoundError`), and
    migrate it if it is older than this litsift. A database that cannot be reached or written
    raises `DatabaseUnavailableError`."""
    url = resolve_url(db)
    store = Store(url)
    _refuse_another_programs(store.path)
    try:
        if not store.exists():
            if not create:
                raise NotFoundError(
                    f"no review at {store.path or _safe_url(url)}",
                    hint="`litsift init` creates one there; or pass --db (or set $LITSIFT_DB) "
                    "to the review you meant",
                )
            if store.path is not None and not store.path.parent.is_dir():
                raise DatabaseUnavailableError(
                    f"cannot create a review at {store.path}: the directory "
                    f"{store.path.parent} does not exist",
                    hint="create the directory first, or pass --db with another path",
                )
            default = store.path.parent.name if store.path else "review"
            create_schema(store, name or default or "review")
            log.info("created review %s", store.url)
        else:
            check_and_migrate(store)
        batches.remove_abandoned(store)  # an import killed part-way left rows never visible
    except (SQLAlchemyError, OSError) as e:
        raise database_error(e, url) from e
    return store


def _another_programs_tables(path: Path | None) -> list[str]:
    """The tables of a SQLite file that holds tables but no review (another program's), read
    through a read-only connection of its own before a review's engine touches the file
    (which would switch it to WAL); [] for a review, a new path or a server."""
    if path is None or not path.is_file():
        return []
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as c:
            rows = c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    except sqlite3.Error:
        return []  # not a database at all: opening it says so
    tables = [str(name) for (name,) in rows]
    # a review, or one another process is creating right now (some of its tables exist)
    return [] if set(tables) & set(SQLModel.metadata.tables) else tables


def _refuse_another_programs(path: Path | None) -> None:
    """litsift never adds its tables beside another program's data."""
    if tables := _another_programs_tables(path):
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise DatabaseUnavailableError(
            f"{path} is a database of another program (tables: {shown}), not a review; "
            "litsift does not write into it",
            hint="pass --db with a new file name (or the review you meant)",
        )


def review_exists(db: str | None = None) -> bool:
    """Whether a review is at `db` already (a path or URL, as `open_review` takes it)."""
    store = Store(resolve_url(db))
    if _another_programs_tables(store.path):
        return False  # (`open_review` refuses it)
    try:
        return store.exists()
    except (SQLAlchemyError, OSError):
        return False  # `open_review` says why it cannot be reached
    finally:
        store.dispose()


def discard_unused_review(store: Store) -> bool:
    """Remove the SQLite file of a review created a moment ago that holds no record: the
    first import into a new path refused every file, and a refused file writes nothing (a
    mistyped path leaves no empty review behind). A review on a server stays. Returns whether
    it was removed."""
    path = store.path
    if path is None:
        return False
    with store.session() as s:
        if s.exec(select(func.count()).select_from(Record)).one():
            return False
    store.dispose()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log.info("removed the unused new review %s", path)
    return True


def _safe_url(url: str) -> str:
    """The URL without its password."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def database_error(e: BaseException, url: str = "") -> DatabaseUnavailableError:
    """A database failure (unreachable server, read-only file, bad URL) as a user-facing error."""
    where = f" {_safe_url(url)}" if url else ""
    detail = (
        str(getattr(e, "orig", None) or e).strip().splitlines()[0] if str(e) else type(e).__name__
    )
    low = detail.lower()
    if "readonly" in low or "read-only" in low or "read only" in low:
        hint = "the review's file or its directory is read-only: copy it somewhere writable"
    elif "unable to open" in low or "no such file" in low or "permission" in low:
        hint = "check that the directory exists and that you may write in it"
        path = Store(url).path if url.startswith("sqlite:///") else None
        if path is not None and path.parent.is_dir() and not os.access(path.parent, os.W_OK):
            hint = (
                f"{path.parent} is read-only, and SQLite writes its journal beside the "
                "review: copy the review somewhere writable"
            )
    elif url and not url.startswith("sqlite"):
        hint = "check the server is running and the URL (postgresql+psycopg://user@host/db)"
    else:
        hint = "check --db (or $LITSIFT_DB)"
    return DatabaseUnavailableError(f"cannot use the review database{where}: {detail}", hint=hint)


def review_info(store: Store) -> dict[str, Any]:
    """The review's name, creation time and schema version."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        return {
            "name": r.name,
            "created_at": r.created_at.isoformat(),
            "schema_version": r.schema_version,
            "database": str(store.path) if store.path else store.url,
        }


def rename_review(store: Store, name: str) -> None:
    """Set the review's name."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        r.name = name
        s.add(r)
        s.add(AuditEntry(action="rename", target="review", detail={"name": name}))
