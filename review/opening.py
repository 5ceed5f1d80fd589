"""Opening a review: create or migrate its database, read and change its name."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import select

from review.db import Store, resolve_url
from review.models import AuditEntry, Review
from review.schema import check_and_migrate, create_schema

log = logging.getLogger(__name__)


def open_review(db: str | None = None, *, name: str | None = None) -> Store:
    """Open the review at `db` (path or URL; default ./review.db or $LITSIFT_DB), creating it
    on first use, and migrate it if it is older than this litsift."""
    store = Store(resolve_url(db))
    if not store.exists():
        default = store.path.parent.name if store.path else "review"
        create_schema(store, name or default or "review")
        log.info("created review %s", store.url)
    else:
        check_and_migrate(store)
    return store


def review_info(store: Store) -> dict[str, Any]:
    """The review's name, creation time and schema version."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        return {
            "name": r.name,
            "created_at": r.created_at.isoformat(),
            "schema_version": r.schema_version,
            "database": store.url,
        }


def rename_review(store: Store, name: str) -> None:
    """Set the review's name."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        r.name = name
        s.add(r)
        s.add(AuditEntry(action="rename", target="review", detail={"name": name}))
