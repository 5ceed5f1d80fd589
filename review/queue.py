"""The screening queue: which records a reviewer still has to screen at a stage, and how far
they are. Records merged as duplicates are not screened; a decision on any copy of a
publication carries over to the others."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from review.automation import removed_before_screening
from review.db import Store
from review.decisions import check_stage, current_decisions_subquery, label_counts
from review.models import Decision, DedupCluster, DedupMember, Record
from review.records import RecordView, record_view


def removed_duplicates() -> Any:
    """Record ids merged into another record's cluster (every active member but the
    canonical one): they are not screened again."""
    return (
        select(DedupMember.record_id)
        .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .where(DedupMember.record_id != DedupCluster.canonical_record_id)
    )


def _decided_through_cluster(decisions: Any) -> Any:
    """Record ids whose duplicate cluster has a member with a decision in `decisions` (a
    decision made on any copy of a publication carries over to the others)."""
    mine, other = aliased(DedupMember), aliased(DedupMember)
    return (
        select(mine.record_id)
        .join(DedupCluster, col(DedupCluster.id) == mine.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .join(other, col(other.cluster_id) == mine.cluster_id)
        .join(decisions, decisions.c.record_id == other.record_id)
    )


def _undecided(stage: str, reviewer: str | None) -> Any:
    """Records still to screen at `stage` (by `reviewer`, or by anyone when None): no standing
    decision on them or on a duplicate of them, not removed as duplicates, and at the
    full-text stage included at title/abstract."""
    sub = current_decisions_subquery(stage, reviewer)
    q = select(Record).outerjoin(sub, sub.c.record_id == Record.id)
    q = q.where(sub.c.decision_id.is_(None))
    q = q.where(col(Record.id).not_in(removed_duplicates()))
    q = q.where(col(Record.id).not_in(removed_before_screening()))  # rules, other reasons
    q = q.where(col(Record.id).not_in(_decided_through_cluster(sub)))
    if stage == "full-text":
        inc = current_decisions_subquery("title-abstract")
        q = (
            q.join(inc, inc.c.record_id == Record.id)
            .join(Decision, col(Decision.id) == inc.c.decision_id)
            .where(Decision.label == "include")
        )
    return q


def count_undecided(store: Store, *, stage: str = "title-abstract") -> int:
    """How many records nobody has decided yet at `stage` (duplicates counted once)."""
    with store.session() as s:
        return int(
            s.exec(select(func.count()).select_from(_undecided(stage, None).subquery())).one()
        )


def undecided_record(
    store: Store, record_id: int, *, stage: str = "title-abstract", reviewer: str | None = None
) -> RecordView | None:
    """Record `record_id` if it is still to screen by this reviewer at `stage`, else None."""
    check_stage(stage)
    with store.session() as s:
        q = _undecided_one(stage, reviewer)
        r = s.exec(q, params={"one_record_id": record_id}).first()  # type: ignore[call-overload]
        return record_view(r) if r else None


@lru_cache(maxsize=64)
def _undecided_one(stage: str, reviewer: str | None) -> Any:
    """`_undecided` for one record given as the parameter `one_record_id`: built once per stage
    and reviewer (building it costs more than running it, and it runs on every key press)."""
    return _undecided(stage, reviewer).where(Record.id == bindparam("one_record_id"))


def undecided_ids(
    store: Store, *, stage: str = "title-abstract", reviewer: str | None = None
) -> list[int]:
    """Ids of the records this reviewer still has to screen at `stage`, in import order."""
    check_stage(stage)
    with store.session() as s:
        sub = _undecided(stage, reviewer).subquery()
        return [int(i) for i in s.exec(select(sub.c.id).order_by(sub.c.id)).all()]


def undecided_among(
    store: Store,
    ids: Sequence[int],
    *,
    stage: str = "title-abstract",
    reviewer: str | None = None,
) -> set[int]:
    """Which of `ids` this reviewer still has to screen at `stage`."""
    check_stage(stage)
    with store.session() as s:
        sub = _undecided(stage, reviewer).where(col(Record.id).in_(list(ids))).subquery()
        return {int(i) for i in s.exec(select(sub.c.id)).all()}


def standing_in_order(
    store: Store, *, stage: str = "title-abstract", reviewer: str = ""
) -> list[tuple[int, str, datetime]]:
    """This reviewer's standing decisions at `stage` as (record id, label, first decided at),
    in the order the records were first decided (a changed decision keeps its place)."""
    table = Decision.__table__  # type: ignore[attr-defined]
    q = (
        select(table.c.record_id, table.c.label, table.c.created_at)
        .where(
            table.c.stage == stage,
            table.c.reviewer == reviewer,
            table.c.retracted_at.is_(None),
        )
        .order_by(table.c.id)
    )
    first: dict[int, tuple[str, datetime]] = {}
    with store.begin() as conn:  # plain rows, not ORM objects: this runs after every decision
        for rid, label, at in conn.execute(q):
            first[rid] = (label, first[rid][1] if rid in first else at)
    return [(rid, label, at) for rid, (label, at) in first.items()]


def first_undecided(
    store: Store,
    *,
    stage: str = "title-abstract",
    reviewer: str | None = None,
    skip: Collection[int] = (),
) -> RecordView | None:
    """The first record (in import order) this reviewer has no standing decision on, other
    than the records in `skip` (those a reviewer passed over for now)."""
    check_stage(stage)
    with store.session() as s:
        q = _undecided(stage, reviewer)
        if skip:
            q = q.where(col(Record.id).not_in(list(skip)))
        r = s.exec(q.order_by(col(Record.id)).limit(1)).first()
        return record_view(r) if r else None


@dataclass
class Progress:
    """One reviewer's progress at a stage."""

    total: int
    screened: int
    include: int
    exclude: int
    maybe: int


def screening_progress(
    store: Store, *, stage: str = "title-abstract", reviewer: str | None = None
) -> Progress:
    """How many records there are to screen at `stage` and what this reviewer decided."""
    check_stage(stage)
    with store.session() as s:
        total = sum(sign * s.exec(q).one() for sign, q in _total_counts(stage))
        counts = label_counts(s, stage, reviewer)
    return Progress(
        total=total,
        screened=sum(counts.values()),
        include=counts.get("include", 0),
        exclude=counts.get("exclude", 0),
        maybe=counts.get("maybe", 0),
    )


@lru_cache(maxsize=4)
def _total_counts(stage: str) -> tuple[tuple[int, Any], ...]:
    """The counts that add up to the records to screen at `stage`, each with its sign; the
    statements are built once (they run on every key press)."""
    if stage == "title-abstract":  # duplicates removed are not screened
        return (
            (1, select(func.count()).select_from(Record)),
            (-1, select(func.count()).select_from(removed_duplicates().subquery())),
            (
                -1,
                select(func.count()).select_from(
                    select(Record.id)
                    .where(col(Record.id).in_(removed_before_screening()))
                    .where(col(Record.id).not_in(removed_duplicates()))
                    .subquery()
                ),
            ),
        )
    inc = current_decisions_subquery("title-abstract")
    return (
        (
            1,
            select(func.count())
            .select_from(inc)
            .join(Decision, col(Decision.id) == inc.c.decision_id)
            .where(Decision.label == "include"),
        ),
    )


def reviewer_counts(store: Store, *, stage: str = "title-abstract") -> dict[str, dict[str, int]]:
    """Each reviewer's standing decisions at `stage`: {reviewer: {label: count}}."""
    check_stage(stage)
    with store.session() as s:
        latest = (
            select(Decision.record_id, Decision.reviewer, func.max(Decision.id).label("id"))
            .where(Decision.stage == stage, col(Decision.retracted_at).is_(None))
            .group_by(col(Decision.record_id), col(Decision.reviewer))
            .subquery()
        )
        rows = s.exec(
            select(Decision.reviewer, Decision.label, func.count())
            .join(latest, latest.c.id == Decision.id)
            .group_by(col(Decision.reviewer), col(Decision.label))
        ).all()
    out: dict[str, dict[str, int]] = {}
    for reviewer, label, n in rows:
        out.setdefault(reviewer, {"include": 0, "exclude": 0, "maybe": 0})[label] = n
    return out


@dataclass(frozen=True)
class ClusterMembership:
    """The duplicate cluster a record belongs to, and the copy that is screened."""

    cluster_id: int
    canonical_record_id: int
    size: int

    def merged(self, record_id: int) -> bool:
        """Whether `record_id` is a copy merged into the canonical record (not screened)."""
        return record_id != self.canonical_record_id


def cluster_of(store: Store, record_id: int) -> ClusterMembership | None:
    """The active duplicate cluster `record_id` is in, or None."""
    with store.session() as s:
        row = s.exec(
            select(DedupCluster.id, DedupCluster.canonical_record_id)  # type: ignore[call-overload]
            .join(DedupMember, col(DedupMember.cluster_id) == DedupCluster.id)
            .where(DedupMember.record_id == record_id, col(DedupCluster.dissolved_at).is_(None))
        ).first()
        if row is None:
            return None
        size = s.exec(
            select(func.count()).select_from(DedupMember).where(DedupMember.cluster_id == row[0])
        ).one()
        return ClusterMembership(int(row[0] or 0), int(row[1] or 0), int(size))
