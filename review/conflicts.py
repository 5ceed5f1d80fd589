"""The conflict queue: records whose reviewers disagree, and the lead's resolution of them.

A conflict is a record at a stage with two or more reviewers' standing votes that disagree
(see `review.consensus`) and no resolution yet. The lead resolves it with a final decision;
the resolution records who made it, is logged in the audit log, and is never deleted (a later
resolution of the same record supersedes it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select

from review.audited import add_audited, require_records
from review.consensus import Vote, latest_resolutions, standing_votes, votes_disagree
from review.db import Store
from review.decisions import check_stage
from review.errors import InvalidInputError, NotFoundError
from review.models import LABELS, STAGES, ConflictResolution, Record, utcnow


@dataclass
class Conflict:
    """A record the reviewers disagree on, with every reviewer's vote."""

    record_id: int
    stage: str
    source_key: str
    title: str
    votes: list[Vote] = field(default_factory=list)


@dataclass
class Resolution:
    """A lead's final decision on a conflict."""

    id: int
    record_id: int
    stage: str
    label: str
    reason: str
    note: str
    resolved_by: str
    created_at: datetime
    votes: list[Vote] = field(default_factory=list)


def list_conflicts(store: Store, *, stage: str | None = None) -> list[Conflict]:
    """Unresolved conflicts at `stage` (every stage when None), by record id."""
    stages = [check_stage(stage)] if stage else list(STAGES)
    found: list[tuple[int, str, list[Vote]]] = []
    for st in stages:
        resolved = latest_resolutions(store, st)
        for rid, votes in standing_votes(store, st).items():
            if rid not in resolved and len(votes) > 1 and votes_disagree(votes, st):
                found.append((rid, st, votes))
    if not found:
        return []
    with store.session() as s:
        ids = sorted({rid for rid, _, _ in found})
        titles = {
            rid: (key, title)
            for rid, key, title in s.exec(
                select(Record.id, Record.source_key, Record.title).where(col(Record.id).in_(ids))
            ).all()
        }
    return [
        Conflict(rid, st, *titles.get(rid, ("", "")), votes)  # type: ignore[arg-type]
        for rid, st, votes in sorted(found, key=lambda c: (STAGES.index(c[1]), c[0]))
    ]


def resolve_conflict(
    store: Store,
    record_id: int,
    label: str,
    *,
    stage: str = "title-abstract",
    resolved_by: str,
    reason: str = "",
    note: str = "",
) -> Resolution:
    """Settle a conflict with the lead's final decision (committed when this returns)."""
    check_stage(stage)
    if label not in LABELS:
        raise InvalidInputError(f"unknown label {label!r}", hint="one of: " + ", ".join(LABELS))
    if not resolved_by:
        raise InvalidInputError("a resolution needs the lead's name", hint="pass --reviewer LEAD")
    votes = standing_votes(store, stage).get(record_id, [])
    if len(votes) < 2 or not votes_disagree(votes, stage):
        raise NotFoundError(
            f"record {record_id} has no conflict at {stage}",
            hint=f"`litsift conflicts --stage {stage}` lists the open ones",
        )
    with store.session() as s:
        require_records(s, [record_id])
        r = add_audited(
            s,
            ConflictResolution(
                record_id=record_id,
                stage=stage,
                label=label,
                reason=reason,
                note=note,
                resolved_by=resolved_by,
                created_at=utcnow(),
            ),
            actor=resolved_by,
            action="resolve-conflict",
            target=f"record:{record_id}",
            detail=lambda r: {
                "resolution": r.id,
                "stage": stage,
                "label": label,
                "reason": reason,
                "votes": {v.reviewer: v.label for v in votes},
            },
        )
        s.flush()
        return Resolution(
            r.id or 0,
            record_id,
            stage,
            label,
            reason,
            note,
            resolved_by,
            r.created_at,
            votes,
        )


def list_resolutions(store: Store, *, stage: str | None = None) -> list[ConflictResolution]:
    """Every resolution made (superseded ones too), oldest first."""
    with store.session() as s:
        q = select(ConflictResolution)
        if stage:
            q = q.where(ConflictResolution.stage == stage)
        rows = list(s.exec(q.order_by(col(ConflictResolution.id))).all())
        for r in rows:
            s.expunge(r)
        return rows
