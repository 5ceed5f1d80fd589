"""The database: `Store(url)` owns an engine and hands out sessions and connections.

SQLite is the default (WAL, foreign keys, synchronous=FULL so a committed decision survives a
crash); any SQLAlchemy URL works, e.g. ``postgresql+psycopg://user@host/review``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from review.errors import InvalidInputError

log = logging.getLogger(__name__)

DEFAULT_DB = "review.db"
ENV_DB = "LITSIFT_DB"
BUSY_TIMEOUT_S = 60

# Only `scheme://` (e.g. sqlite://, postgresql+psycopg://) makes --db a URL.
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn `--db PATH|URL`, else `$LITSIFT_DB`, else ./review.db into a SQLAlchemy URL."""
    value = str(db) if db is not None else os.environ.get(ENV_DB) or DEFAULT_DB
    if _URL_SCHEME.match(value):
        return value
    if value == ":memory:":
        return "sqlite://"
    # A plain path is a path: `?`, `#` and `%` in it are part of the file name, so they are
    # percent-encoded here and decoded back by SQLAlchemy (`rev?x=1.db` stays `rev?x=1.db`).
    path = str(Path(value).expanduser().resolve())
    return "sqlite:///" + quote(path, safe="/:@!$&'()*+,;= ~")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # 16 KiB pages (only takes effect when the file is new): records carry their raw entry and
    # abstract, and larger pages make importing them about three times faster than 4 KiB.
    cur.execute("PRAGMA page_size=16384")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # a writer waits this long for another's transaction; imports commit in short chunks
    # (review/batches.py), so a decision waits for one chunk at most
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


class Store:
    """A review database. No engine exists until a Store is made; no work at import time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {}
        if url == "sqlite://":
            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        elif self.is_sqlite:
            kwargs = {"connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}}
        try:
            self.engine: Engine = create_engine(url, **kwargs)
        except Exception as e:  # bad URL, missing driver
            raise InvalidInputError(
                f"cannot open database {url!r}: {e}",
                hint="pass --db PATH for SQLite or a URL such as postgresql+psycopg://host/db "
                "(PostgreSQL needs `pip install litsift[postgres]`)",
            ) from e
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        import review.batches  # noqa: F401  (registers the hook hiding batches still loading)

    @property
    def path(self) -> Path | None:
        """The SQLite file, if this store is a SQLite file."""
        if self.is_sqlite and self.url.startswith("sqlite:///"):
            database = make_url(self.url).database
            return Path(database) if database else None
        return None

    def exists(self) -> bool:
        """Whether the database already holds a review."""
        p = self.path
        if p is not None and not p.exists():
            return False
        return inspect(self.engine).has_table("review")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A Core connection inside one transaction (bulk work such as imports)."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def begin_unsynced(self) -> Iterator[Connection]:
        """A transaction for coordination rows that need no durability (a record's lease):
        atomic and seen by other sessions at once, but its commit does not wait for the disk
        (SQLite `synchronous=NORMAL` for this one commit, PostgreSQL `synchronous_commit=off`);
        a power cut may lose it, never leave it half done. Review data never goes through
        here: a decision's commit waits for the disk (`synchronous=FULL`)."""
        if not self.is_sqlite:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
                yield conn
            return
        with self.engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            raw.execute("PRAGMA synchronous=NORMAL")  # outside any transaction
            try:
                with conn.begin():
                    yield conn
            finally:
                try:
                    raw.execute("PRAGMA synchronous=FULL")
                except Exception:  # never hand the pool a connection that commits unsynced
                    conn.invalidate()
                    raise

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
