"""What each reviewer still owes in dual screening.

With `Protocol.screening_mode = "dual"` every record needs two reviewers' independent
decisions at a stage. A reviewer owes a record when fewer than two reviewers have a standing
decision on it and they are not one of them. Duplicates count once: a decision on any copy
of a publication counts for its cluster, and records merged into another are not served.
At the full-text stage only records settled as included at title/abstract are served.

The queue is one SQL query (it runs after every decision), the same on SQLite and PostgreSQL.
Single screening keeps the screening service's own queue (`owed_needed` returns None).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from review import settings
from review.consensus import final_labels
from review.db import Store
from review.models import Decision, DedupCluster, DedupMember, Record


def owed_needed(store: Store, protocol: settings.Protocol | None = None) -> int | None:
    """Decisions each record needs when that is more than one (dual screening), else None
    (`protocol`: the review's protocol when the caller has just read it)."""
    needed = (settings.protocol(store) if protocol is None else protocol).decisions_per_record
    return needed if needed > 1 else None


def _canonical() -> Any:
    """A subquery: member record id → canonical record id of its active duplicate cluster."""
    return (
        select(DedupMember.record_id, DedupCluster.canonical_record_id)
        .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .subquery()
    )


def _owed_query(store: Store, stage: str, reviewer: str, needed: int) -> Any:
    """Records (by id) `reviewer` still owes at `stage`."""
    canon = _canonical()
    target = func.coalesce(canon.c.canonical_record_id, Decision.record_id)
    votes = (
        select(target.label("rid"), Decision.reviewer)
        .outerjoin(canon, canon.c.record_id == Decision.record_id)
        .where(Decision.stage == stage, col(Decision.retracted_at).is_(None))
        .subquery()
    )
    done = (
        select(votes.c.rid)
        .group_by(votes.c.rid)
        .having(
            (func.count(func.distinct(votes.c.reviewer)) >= needed)
            | (func.max(case((votes.c.reviewer == reviewer, 1), else_=0)) == 1)
        )
    )
    merged = aliased(DedupMember)
    removed = (
        select(merged.record_id)
        .join(DedupCluster, col(DedupCluster.id) == merged.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .where(merged.record_id != DedupCluster.canonical_record_id)
    )
    q = select(Record.id).where(col(Record.id).not_in(done), col(Record.id).not_in(removed))
    if stage == "full-text":
        settled = final_labels(store, "title-abstract")
        q = q.where(col(Record.id).in_([r for r, fl in settled.items() if fl.label == "include"]))
    return q


def _owes(stage: str, reviewer: str, needed: int) -> Any:
    """A condition on `Record`: `reviewer` owes the record at `stage` (the record is not merged
    into another, has fewer than `needed` reviewers' standing decisions counted over its
    duplicate cluster, and none of them is `reviewer`'s). Correlated subqueries that look up
    one record's decisions by the (record_id, stage, reviewer) index, so serving the first owed
    record reads a few index entries instead of aggregating every decision of the stage."""
    m0, m = aliased(DedupMember), aliased(DedupMember)
    cluster_mates = (
        select(m.record_id)
        .join(DedupCluster, col(DedupCluster.id) == m.cluster_id)
        .join(m0, col(m0.cluster_id) == DedupCluster.id)
        .where(m0.record_id == Record.id, col(DedupCluster.dissolved_at).is_(None))
        .correlate(Record)
    )
    votes = (
        select(
            func.count(func.distinct(Decision.reviewer))
            + needed * func.max(case((col(Decision.reviewer) == reviewer, 1), else_=0))
        )
        .where(
            Decision.stage == stage,
            col(Decision.retracted_at).is_(None),
            (col(Decision.record_id) == Record.id) | col(Decision.record_id).in_(cluster_mates),
        )
        .correlate(Record)
        .scalar_subquery()
    )
    merged = aliased(DedupMember)
    merged_away = (
        select(merged.record_id)
        .join(DedupCluster, col(DedupCluster.id) == merged.cluster_id)
        .where(
            merged.record_id == Record.id,
            col(DedupCluster.dissolved_at).is_(None),
            merged.record_id != DedupCluster.canonical_record_id,
        )
        .correlate(Record)
        .exists()
    )
    return (func.coalesce(votes, 0) < needed) & ~merged_away


def _owed_records(store: Store, stage: str, reviewer: str, needed: int) -> Any:
    """Records (by id) `reviewer` still owes at `stage`, by the correlated condition."""
    q = select(Record.id).where(_owes(stage, reviewer, needed))
    if stage == "full-text":
        settled = final_labels(store, "title-abstract")
        q = q.where(col(Record.id).in_([r for r, fl in settled.items() if fl.label == "include"]))
    return q


def owed_ids(store: Store, *, stage: str, reviewer: str) -> set[int] | None:
    """In dual screening the records this reviewer still owes at `stage`; None in single
    screening (the screening service's own queue applies there)."""
    needed = owed_needed(store)
    if needed is None:
        return None
    with store.session() as s:
        return {int(i or 0) for i in s.exec(_owed_query(store, stage, reviewer, needed)).all()}


def first_owed(
    store: Store, *, stage: str, reviewer: str, needed: int, skip: Collection[int] = ()
) -> int | None:
    """The first record (import order) this reviewer owes, other than those in `skip`."""
    q = _owed_records(store, stage, reviewer, needed)
    if skip:
        q = q.where(col(Record.id).not_in(list(skip)))
    with store.session() as s:
        rid = s.exec(q.order_by(col(Record.id)).limit(1)).first()
    return None if rid is None else int(rid)


def owed_among(
    store: Store, ids: Sequence[int], *, stage: str, reviewer: str, needed: int
) -> set[int]:
    """Which of `ids` this reviewer owes."""
    q = _owed_records(store, stage, reviewer, needed).where(col(Record.id).in_(list(ids)))
    with store.session() as s:
        return {int(i or 0) for i in s.exec(q).all()}
