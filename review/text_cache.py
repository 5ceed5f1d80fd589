"""A key → text cache in the review's database, for results of slow steps on record text
(the screening tokeniser's output), so that reopening a large review does not redo them.

Entries are written in small transactions (`CHUNK` rows) so that a reviewer's decision never
waits long behind a cache write; an existing key is left as it is (first writer wins, the
value for a key never differs)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select

from review.db import Store
from review.models import TextCacheEntry

CHUNK = 2000


def get_texts(store: Store, keys: Iterable[str]) -> dict[str, str]:
    """The cached values of those `keys` that are in the cache."""
    table = TextCacheEntry.__table__  # type: ignore[attr-defined]
    keys = list(keys)
    out: dict[str, str] = {}
    with store.begin() as conn:
        for i in range(0, len(keys), CHUNK):
            rows = conn.execute(
                select(table.c.key, table.c.value).where(table.c.key.in_(keys[i : i + CHUNK]))
            )
            out.update((k, v) for k, v in rows)
    return out


def put_texts(store: Store, items: Mapping[str, str]) -> None:
    """Add entries (keys already cached are skipped)."""
    table = TextCacheEntry.__table__  # type: ignore[attr-defined]
    rows = [{"key": k, "value": v} for k, v in items.items()]
    dialect = store.engine.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        return
    for i in range(0, len(rows), CHUNK):
        with store.begin() as conn:
            conn.execute(insert(table).on_conflict_do_nothing(), rows[i : i + CHUNK])
