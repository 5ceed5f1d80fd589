"""Schema versions and migrations.

Why not Alembic: a review database is a single file (or one PostgreSQL schema) that litsift
itself creates, and its migrations must run inside the installed package with no scripts
directory or config file. An ordered list of Python functions, each run in one transaction and
recorded in `review.schema_version`, gives the same guarantees (ordered, transactional,
refusing databases from the future) in a few lines and works identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, select, update
from sqlmodel import SQLModel

from review import models
from review.db import Store
from review.errors import SchemaTooNewError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
APP_VERSION = "0.1.0"


def _add_dedup_tables(conn: Connection) -> None:
    """Version 1 → 2: the deduplication tables (runs, clusters, members, pairs)."""
    for model in (models.DedupRun, models.DedupCluster, models.DedupMember, models.DedupPair):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_annotations(conn: Connection) -> None:
    """Version 2 → 3: notes, tags and attached full texts on records; the text cache."""
    for model in (models.Annotation, models.TextCacheEntry):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_prisma_tables(conn: Connection) -> None:
    """Version 3 → 4: records removed before screening; studies and their reports."""
    for model in (models.RecordRemoval, models.Study, models.StudyReport):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_extraction_tables(conn: Connection) -> None:
    """Version 4 → 5: extraction forms, extractions and their values."""
    for model in (models.ExtractionForm, models.Extraction, models.ExtractionValue):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


# MIGRATIONS[n] upgrades a database from version n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _add_dedup_tables,
    2: _add_annotations,
    3: _add_prisma_tables,
    4: _add_extraction_tables,
}


def create_schema(store: Store, name: str) -> None:
    """Create every table of the current version and the review row."""
    SQLModel.metadata.create_all(store.engine)
    with store.begin() as conn:
        conn.execute(
            models.Review.__table__.insert().values(  # type: ignore[attr-defined]
                name=name,
                created_at=models.utcnow(),
                schema_version=SCHEMA_VERSION,
                app_version=APP_VERSION,
            )
        )


def current_version(conn: Connection) -> int:
    """The schema version stored in the database."""
    table = models.Review.__table__  # type: ignore[attr-defined]
    version = conn.execute(select(table.c.schema_version).limit(1)).scalar()
    return int(version or 0)


def check_and_migrate(store: Store) -> None:
    """Refuse databases from a newer litsift; bring older ones up to date."""
    with store.begin() as conn:
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{store.url} was written by a newer litsift (schema version {version}; "
                f"this litsift {APP_VERSION} reads up to version {SCHEMA_VERSION})",
                hint="upgrade litsift (pip install -U litsift) to open this review",
            )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS[version]
        with store.begin() as conn:
            log.info("migrating %s from schema %d to %d", store.url, version, version + 1)
            step(conn)
            table = models.Review.__table__  # type: ignore[attr-defined]
            conn.execute(update(table).values(schema_version=version + 1))
        version += 1
