"""Review settings by key, stored as JSON: the one place a `setting` row is read or written
(the typed ones are read through `review.settings`, automation rules through
`review.automation`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from review.db import Store
from review.models import AuditEntry, Setting, utcnow


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """A review setting (stored in the database as JSON)."""
    with store.session() as s:
        row = s.get(Setting, key)
        return default if row is None else row.value


def set_setting(store: Store, key: str, value: Any, *, actor: str = "") -> None:
    """Store a review setting and log the change."""
    with store.session() as s:
        row = s.get(Setting, key) or Setting(key=key)
        row.value = value
        row.updated_at = utcnow()
        s.add(row)
        s.add(AuditEntry(actor=actor, action="setting", target=key, detail={"value": value}))


def set_keywords(
    store: Store, include: Sequence[str], exclude: Sequence[str], *, actor: str = ""
) -> dict[str, list[str]]:
    """Replace the review's include and exclude keywords (kept in the protocol, which also
    feeds the ranking's cold start). Blank and repeated entries are dropped."""
    from review import settings

    protocol = settings.protocol(store)
    protocol.keywords = settings.Keywords(include=list(include), exclude=list(exclude))
    settings.save(store, protocol, actor=actor)
    return protocol.keywords.model_dump()
