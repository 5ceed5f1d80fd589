"""Single screening with several reviewers: the next record one reviewer is shown is leased
to them for a while, so that a teammate asking at the same moment gets another one.

A lease is one row per (stage, record) in `record_lease`, claimed by one atomic upsert that
only takes the row over when it has expired or is the reviewer's own: on SQLite inside its
write lock, on PostgreSQL under the row's lock (the conflicting insert waits for the other
transaction, then re-checks the condition), so of two reviewers racing for a record exactly
one gets it and the other moves on to the next. Dual screening shares records on purpose and
takes no leases. Leases are coordination, not review data: they are overwritten, not logged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import timedelta
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import Insert, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from review import settings
from review.db import Store
from review.models import Decision, RecordLease, utcnow
from review.records import RecordView

R = TypeVar("R", bound="RecordView")

LEASE_FOR = timedelta(minutes=10)
MAX_CLAIMS = 100  # records tried before giving up on a crowd of reviewers

_lease = RecordLease.__table__  # type: ignore[attr-defined]
_decision = Decision.__table__  # type: ignore[attr-defined]


def applies(store: Store, protocol: settings.Protocol | None = None) -> bool:
    """Whether records are leased: single screening (one reviewer decides each record)."""
    return (settings.protocol(store) if protocol is None else protocol).screening_mode == "single"


def _upsert(store: Store) -> Callable[..., Insert]:
    return postgresql.insert if store.engine.dialect.name == "postgresql" else sqlite.insert  # type: ignore[return-value]


def _holder_decided() -> Any:
    """True for a lease whose holder has since decided its record (it no longer holds it)."""
    return (
        select(_decision.c.id)
        .where(
            _decision.c.record_id == _lease.c.record_id,
            _decision.c.stage == _lease.c.stage,
            _decision.c.reviewer == _lease.c.reviewer,
            _decision.c.retracted_at.is_(None),
        )
        .correlate(_lease)
        .exists()
    )


def claim(store: Store, record_id: int, *, stage: str, reviewer: str) -> bool:
    """Lease `record_id` to `reviewer` unless another reviewer holds it; on success the
    reviewer's other leases at `stage` are released (they moved on)."""
    now = utcnow()
    ins = _upsert(store)(_lease).values(
        stage=stage, record_id=record_id, reviewer=reviewer, expires_at=now + LEASE_FOR
    )
    excluded: Any = ins.excluded  # type: ignore[attr-defined]
    stmt = ins.on_conflict_do_update(  # type: ignore[attr-defined]
        index_elements=["stage", "record_id"],
        set_={"reviewer": excluded.reviewer, "expires_at": excluded.expires_at},
        where=or_(_lease.c.expires_at <= now, _lease.c.reviewer == reviewer, _holder_decided()),
    ).returning(_lease.c.record_id)
    # a lease is coordination, not review data: its commit need not wait for the disk (it
    # is claimed on every key press, right after the decision's own durable commit)
    with store.begin_unsynced() as conn:
        if conn.execute(stmt).first() is None:  # held by another reviewer
            return False
        conn.execute(
            update(_lease)
            .where(
                _lease.c.stage == stage,
                _lease.c.reviewer == reviewer,
                _lease.c.record_id != record_id,
                _lease.c.expires_at > now,
            )
            .values(expires_at=now)
        )
    return True


def held_by_others(store: Store, *, stage: str, reviewer: str) -> set[int]:
    """Records leased to other reviewers at `stage` right now."""
    with store.begin() as conn:
        rows = conn.execute(_held_by_others_query(stage, reviewer), {"now": utcnow()})
        return {int(r) for (r,) in rows}


@lru_cache(maxsize=64)
def _held_by_others_query(stage: str, reviewer: str) -> Any:
    """Built once per stage and reviewer (it runs on every key press); `now` is a parameter."""
    return select(_lease.c.record_id).where(
        _lease.c.stage == stage,
        _lease.c.reviewer != reviewer,
        _lease.c.expires_at > bindparam("now", type_=_lease.c.expires_at.type),
        ~_holder_decided(),
    )


def release(store: Store, *, stage: str, reviewer: str) -> None:
    """End the reviewer's leases at `stage` (they stopped screening)."""
    now = utcnow()
    with store.begin() as conn:
        conn.execute(
            update(_lease)
            .where(_lease.c.stage == stage, _lease.c.reviewer == reviewer)
            .where(_lease.c.expires_at > now)
            .values(expires_at=now)
        )


def claim_next(
    store: Store,
    pick: Callable[[Collection[int]], R | None],
    *,
    stage: str,
    reviewer: str,
    skip: Collection[int] = (),
    protocol: settings.Protocol | None = None,
) -> R | None:
    """The record `pick(skip)` chooses, leased to `reviewer`: records other reviewers hold are
    skipped, and a record lost to a teammate in a race is passed over for the next
    (`protocol`: the review's protocol when the caller has just read it)."""
    if not applies(store, protocol):
        return pick(skip)
    passed = set(skip) | held_by_others(store, stage=stage, reviewer=reviewer)
    for _ in range(MAX_CLAIMS):
        record = pick(passed)
        if record is None or claim(store, record.id, stage=stage, reviewer=reviewer):
            return record
        passed.add(record.id)
    return None
