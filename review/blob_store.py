"""Bytes kept in the review's database under a key (`BlobPart`), for results of slow steps on
the records (the screening features prepared at import). Large blobs are split into parts of
`PART` bytes, so neither SQLite nor a PostgreSQL driver has to take one huge value.

A blob is derived data, not review data: `put_blob` replaces what the key held (in one
transaction), and emptying the table only makes the next open slower."""

from __future__ import annotations

from sqlalchemy import delete, select

from review.db import Store
from review.models import BlobPart

PART = 32 * 2**20


def put_blob(store: Store, key: str, data: bytes) -> None:
    """Store `data` under `key`, replacing what was there."""
    table = BlobPart.__table__  # type: ignore[attr-defined]
    view = memoryview(data)
    with store.begin() as conn:
        conn.execute(delete(table).where(table.c.key == key))
        for part, start in enumerate(range(0, max(len(data), 1), PART)):
            conn.execute(
                table.insert().values(key=key, part=part, data=bytes(view[start : start + PART]))
            )


def get_blob(store: Store, key: str) -> bytearray | None:
    """The bytes stored under `key`, or None (a bytearray: arrays viewing it are writable)."""
    table = BlobPart.__table__  # type: ignore[attr-defined]
    with store.begin() as conn:
        rows = conn.execute(
            select(table.c.data).where(table.c.key == key).order_by(table.c.part)
        ).all()
    if not rows:
        return None
    return bytearray().join(r[0] for r in rows)
