"""Which records deduplication has not looked at yet: those imported since its last run (or
every record when it never ran). The app's duplicates screen says so instead of an empty
queue that looks like "no duplicates"."""

from __future__ import annotations

from sqlalchemy import func, select

from review.batches import visible_record
from review.db import Store
from review.models import DedupRun, Record


def records_not_deduplicated(store: Store) -> int:
    """How many of the review's records no deduplication run has compared yet."""
    run = DedupRun.__table__  # type: ignore[attr-defined]
    rec = Record.__table__  # type: ignore[attr-defined]
    with store.begin() as conn:
        last = conn.execute(select(run.c.max_record_id).order_by(run.c.id.desc())).first()
        q = select(func.count()).select_from(rec).where(visible_record(rec))
        if last is not None:
            q = q.where(rec.c.id > last[0])
        return int(conn.execute(q).scalar_one())
