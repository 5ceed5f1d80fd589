"""Schema versions and migrations.

Why not Alembic: a review database is a single file (or one PostgreSQL schema) that litsift
itself creates, and its migrations must run inside the installed package with no scripts
directory or config file. An ordered list of Python functions, each run in one transaction and
recorded in `review.schema_version`, gives the same guarantees (ordered, transactional,
refusing databases from the future) in a few lines and works identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, inspect, select, text, update
from sqlmodel import SQLModel

from review import models
from review.db import Store
from review.errors import SchemaTooNewError

log = logging.getLogger(__name__)

SCHEMA_VERSION = 8
# pg_advisory_xact_lock key held while a review is created or migrated ("litsift" in hex)
SCHEMA_LOCK_KEY = 0x6C6974736966
APP_VERSION = "0.1.0"


def _add_dedup_tables(conn: Connection) -> None:
    """Version 1 → 2: the deduplication tables (runs, clusters, members, pairs)."""
    for model in (models.DedupRun, models.DedupCluster, models.DedupMember, models.DedupPair):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_annotations(conn: Connection) -> None:
    """Version 2 → 3: notes, tags and attached full texts on records; the text cache."""
    for model in (models.Annotation, models.TextCacheEntry):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_batch_states_and_leases(conn: Connection) -> None:
    """Version 3 → 4: import batches that stay invisible while loading, "the same file twice"
    as a unique key, and single screening's record leases."""
    have = {c["name"] for c in inspect(conn).get_columns("import_batch")}
    for column in (
        "state VARCHAR NOT NULL DEFAULT 'done'",
        "sha_key VARCHAR",
        "loading_slot INTEGER",
        "loader VARCHAR NOT NULL DEFAULT ''",
        "heartbeat_at TIMESTAMP",
    ):
        if column.split()[0] not in have:  # (a table made by a newer create_all has them)
            conn.exec_driver_sql(f"ALTER TABLE import_batch ADD COLUMN {column}")
    # the first import of each file holds its key; later ones were made with --again
    conn.exec_driver_sql(
        "UPDATE import_batch SET sha_key = sha256 WHERE id IN "
        "(SELECT MIN(id) FROM import_batch GROUP BY sha256)"
    )
    for index in models.ImportBatch.__table__.indexes:  # type: ignore[attr-defined]
        if index.name in ("ux_import_batch_sha_key", "ux_import_batch_loading"):
            index.create(conn, checkfirst=True)
    models.RecordLease.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _add_prisma_tables(conn: Connection) -> None:
    """Version 4 → 5: records removed before screening; studies and their reports."""
    for model in (models.RecordRemoval, models.Study, models.StudyReport):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_conflict_resolutions(conn: Connection) -> None:
    """Version 5 → 6: a lead's resolutions of dual-screening conflicts."""
    models.ConflictResolution.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


def _add_extraction_tables(conn: Connection) -> None:
    """Version 6 → 7: extraction forms, extractions and their values."""
    for model in (models.ExtractionForm, models.Extraction, models.ExtractionValue):
        model.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]


def _add_blob_parts(conn: Connection) -> None:
    """Version 7 → 8: the blob store (screening features prepared at import)."""
    models.BlobPart.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]


# MIGRATIONS[n] upgrades a database from version n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _add_dedup_tables,
    2: _add_annotations,
    3: _add_batch_states_and_leases,
    4: _add_prisma_tables,
    5: _add_conflict_resolutions,
    6: _add_extraction_tables,
    7: _add_blob_parts,
}


@contextmanager
def schema_lock(store: Store) -> Iterator[Connection]:
    """One transaction that no other process creating or migrating the review can run beside:
    SQLite's write lock taken up front (BEGIN IMMEDIATE), PostgreSQL's advisory lock."""
    if store.is_sqlite:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
    else:
        with store.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK_KEY})
            yield conn


def create_schema(store: Store, name: str) -> None:
    """Create every table of the current version and the review row; safe when several
    processes do it at once (the first creates, the others find it made and migrate)."""
    with schema_lock(store) as conn:
        if inspect(conn).has_table("review") and current_version(conn) > 0:
            _migrate_locked(store, conn)
            return
        SQLModel.metadata.create_all(conn)
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


def _check_not_newer(store: Store, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{store.url} was written by a newer litsift (schema version {version}; "
            f"this litsift {APP_VERSION} reads up to version {SCHEMA_VERSION})",
            hint="upgrade litsift (pip install -U litsift) to open this review",
        )


def _migrate_locked(store: Store, conn: Connection) -> None:
    """Run the missing migrations inside the schema lock's transaction (all or none)."""
    version = current_version(conn)
    _check_not_newer(store, version)
    table = models.Review.__table__  # type: ignore[attr-defined]
    while version < SCHEMA_VERSION:
        log.info("migrating %s from schema %d to %d", store.url, version, version + 1)
        MIGRATIONS[version](conn)
        version += 1
        conn.execute(update(table).values(schema_version=version))


def check_and_migrate(store: Store) -> None:
    """Refuse databases from a newer litsift; bring older ones up to date. The version is
    read again under the schema lock, so processes opening an old review at once migrate it
    once."""
    with store.begin() as conn:
        version = current_version(conn)
    _check_not_newer(store, version)
    if version < SCHEMA_VERSION:
        with schema_lock(store) as conn:
            _migrate_locked(store, conn)
