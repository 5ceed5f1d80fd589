"""The settled outcome of screening: one final label per record and stage.

Everything that counts or trains on "what was decided" (PRISMA, exports, the ranking's settled
labels) reads it here, so single and dual screening are one question with one answer.

Each reviewer's *vote* on a record at a stage is their latest standing (not retracted)
decision: a reviewer changing their mind replaces their own vote, never another's. A record is
settled when

- a lead resolved its conflict (`review.conflicts.resolve_conflict`): the latest resolution
  stands, whatever the votes say; or
- it has the votes the protocol asks for (`Protocol.decisions_per_record`: 1 in single
  screening, 2 in dual) and they all agree.

Votes agree when their labels are equal and, at the full-text stage, two exclusions give the
same reason (PRISMA counts full-text exclusions by reason). Two reviewers who disagree make a
conflict in either mode: "the last one wins" would silently drop a reviewer's judgement, so a
disagreement waits for the lead (single screening simply needs one vote, not two).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from review import settings
from review.db import Store
from review.models import ConflictResolution, Decision


@dataclass(frozen=True)
class FinalLabel:
    """A record's settled decision at one stage."""

    record_id: int
    stage: str
    label: str
    reason: str
    reviewers: tuple[str, ...]
    resolved_by: str = ""  # the lead who resolved a conflict ("" when the reviewers agreed)


@dataclass(slots=True)
class Vote:
    """One reviewer's standing decision on a record at a stage."""

    reviewer: str
    label: str
    reason: str
    decision_id: int


def standing_votes(store: Store, stage: str) -> dict[int, list[Vote]]:
    """Record id → each reviewer's standing vote at `stage`, in the order first cast."""
    table = Decision.__table__  # type: ignore[attr-defined]
    q = (
        sa_select(table.c.id, table.c.record_id, table.c.reviewer, table.c.label, table.c.reason)
        .where(table.c.stage == stage, table.c.retracted_at.is_(None))
        .order_by(table.c.id)
    )
    latest: dict[int, dict[str, Vote]] = {}
    with store.begin() as conn:  # plain rows: this runs after every decision in dual mode
        rows = conn.execute(q).all()
    for did, rid, reviewer, label, reason in rows:
        by = latest.get(rid)
        if by is None:
            latest[rid] = by = {}
        by[reviewer] = Vote(reviewer, label, reason or "", did)
    return {rid: list(by.values()) for rid, by in latest.items()}


REOPENED = "reopened"  # the label of a resolution row that withdraws the one before it


def latest_resolutions(store: Store, stage: str) -> dict[int, ConflictResolution]:
    """Record id → the standing (latest) resolution of its conflict at `stage` (none when the
    latest was withdrawn: `review.conflict_reopen`)."""
    with store.session() as s:
        rows = s.exec(
            select(ConflictResolution)
            .where(ConflictResolution.stage == stage)
            .order_by(col(ConflictResolution.id))
        ).all()
        out = {r.record_id: r for r in rows}
        for r in out.values():
            s.expunge(r)
    return {rid: r for rid, r in out.items() if r.label != REOPENED}


def _reason_key(reason: str) -> str:
    return " ".join(reason.split()).casefold()


def votes_disagree(votes: list[Vote], stage: str) -> bool:
    """True when the votes differ in label, or (full text) exclude for different reasons."""
    if len({v.label for v in votes}) > 1:
        return True
    if stage == "full-text" and votes and votes[0].label == "exclude":
        return len({_reason_key(v.reason) for v in votes}) > 1
    return False


def settle(
    record_id: int,
    stage: str,
    votes: list[Vote],
    resolution: ConflictResolution | None,
    needed: int,
) -> FinalLabel | None:
    """The settled label of one record, or None while it is pending or in conflict."""
    reviewers = tuple(v.reviewer for v in votes)
    if resolution is not None:
        return FinalLabel(
            record_id,
            stage,
            resolution.label,
            resolution.reason,
            reviewers,
            resolved_by=resolution.resolved_by,
        )
    if len(votes) < needed or not votes or votes_disagree(votes, stage):
        return None
    last = max(votes, key=lambda v: v.decision_id)
    return FinalLabel(record_id, stage, last.label, last.reason, reviewers)


def final_labels(store: Store, stage: str) -> dict[int, FinalLabel]:
    """Record id → its settled label at `stage` (records with no settled label are absent)."""
    needed = settings.protocol(store).decisions_per_record
    return settle_all(stage, standing_votes(store, stage), latest_resolutions(store, stage), needed)


def settle_all(
    stage: str,
    votes: dict[int, list[Vote]],
    resolutions: dict[int, ConflictResolution],
    needed: int,
) -> dict[int, FinalLabel]:
    """`final_labels` from votes and resolutions already read."""
    out: dict[int, FinalLabel] = {}
    for rid in votes.keys() | resolutions.keys():
        fl = settle(rid, stage, votes.get(rid, []), resolutions.get(rid), needed)
        if fl is not None:
            out[rid] = fl
    return out


def with_final_labels(
    store: Store, rows: Iterable[dict[str, Any]], stage: str = "title-abstract"
) -> Iterator[dict[str, Any]]:
    """Record dicts with `label` set to their settled label at `stage` (None while pending
    or in conflict), for exports."""
    final = final_labels(store, stage)
    for r in rows:
        fl = final.get(int(r["id"]))
        yield {**r, "label": fl.label if fl else None}


def settled_counts(store: Store, stage: str) -> dict[str, int]:
    """Settled records per label at `stage`, and how many are in conflict (for status)."""
    needed = settings.protocol(store).decisions_per_record
    votes, resolutions = standing_votes(store, stage), latest_resolutions(store, stage)
    counts = {"include": 0, "exclude": 0, "maybe": 0}
    for fl in settle_all(stage, votes, resolutions, needed).values():
        counts[fl.label] = counts.get(fl.label, 0) + 1
    counts["conflicts"] = sum(
        1
        for rid, vs in votes.items()
        if rid not in resolutions and len(vs) > 1 and votes_disagree(vs, stage)
    )
    return counts
