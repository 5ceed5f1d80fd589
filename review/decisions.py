"""Screening decisions: recorded the moment they are made, never overwritten.

A record's current decision at a stage (for a reviewer) is the latest decision that has not
been retracted. Undo retracts the latest one and is logged like every other change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, TypedDict

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from review.audited import add_audit, add_audited, require_records
from review.errors import ConflictError, InvalidInputError, NotFoundError
from review.models import LABELS, STAGES, Decision, utcnow

MAX_UNDO_ATTEMPTS = 50


class DecisionOptions(TypedDict, total=False):
    """The optional parts of a decision, as `record_decision` passes them on."""

    stage: str
    reviewer: str
    reason: str
    note: str
    model_version: str


@dataclass(frozen=True)
class DecisionView:
    """A decision as shown to users and exported."""

    id: int
    record_id: int
    source_key: str
    stage: str
    reviewer: str
    label: str
    reason: str
    note: str
    created_at: datetime
    retracted_at: datetime | None
    model_version: str


def decision_view(d: Decision, source_key: str) -> DecisionView:
    """The read model of a stored decision."""
    return DecisionView(
        d.id or 0,
        d.record_id,
        source_key,
        d.stage,
        d.reviewer,
        d.label,
        d.reason,
        d.note,
        d.created_at,
        d.retracted_at,
        d.model_version,
    )


def check_stage(stage: str) -> str:
    """Validate a stage name."""
    if stage not in STAGES:
        raise InvalidInputError(f"unknown stage {stage!r}", hint="one of: " + ", ".join(STAGES))
    return stage


def add_decision(
    s: Session,
    record_id: int,
    label: str,
    *,
    stage: str = "title-abstract",
    reviewer: str = "",
    reason: str = "",
    note: str = "",
    model_version: str = "",
) -> Decision:
    """Append a decision and its audit entry in the caller's session."""
    if label not in LABELS:
        raise InvalidInputError(f"unknown label {label!r}", hint="one of: " + ", ".join(LABELS))
    check_stage(stage)
    require_records(s, [record_id])
    return add_audited(
        s,
        Decision(
            record_id=record_id,
            stage=stage,
            reviewer=reviewer,
            label=label,
            reason=reason,
            note=note,
            model_version=model_version,
            created_at=utcnow(),
        ),
        actor=reviewer,
        action="decide",
        target=f"record:{record_id}",
        detail=lambda d: {"decision": d.id, "stage": stage, "label": label, "reason": reason},
    )


def retract_last(s: Session, *, stage: str = "title-abstract", reviewer: str = "") -> Decision:
    """Retract this reviewer's latest standing decision at a stage (undo). Safe when the same
    reviewer undoes from several sessions at once: the retraction is a conditional UPDATE
    (`retracted_at IS NULL`) whose row count says whether this call won; a call that lost
    the race retracts the next one, so each successful undo retracted exactly one decision."""
    table = Decision.__table__  # type: ignore[attr-defined]
    for _ in range(MAX_UNDO_ATTEMPTS):
        d = s.exec(
            select(Decision)
            .where(Decision.stage == stage, Decision.reviewer == reviewer)
            .where(col(Decision.retracted_at).is_(None))
            .order_by(col(Decision.id).desc())
            .limit(1)
            .execution_options(populate_existing=True)
        ).first()
        if d is None:
            raise NotFoundError("nothing to undo: no decisions by this reviewer at this stage")
        now = utcnow()
        won = s.connection().execute(
            update(table)
            .where(table.c.id == d.id, table.c.retracted_at.is_(None))
            .values(retracted_at=now)
        )
        if won.rowcount == 1:
            break
    else:
        raise ConflictError(
            "undo kept losing to other sessions of the same reviewer",
            hint="try again",
        )
    d.retracted_at = now
    add_audit(
        s,
        reviewer,
        "undo",
        f"record:{d.record_id}",
        {"decision": d.id, "stage": stage, "label": d.label},
    )
    return d


def current_decisions_subquery(stage: str, reviewer: str | None = None):  # type: ignore[no-untyped-def]
    """A subquery of the latest standing decision id per record at `stage` (any reviewer when
    `reviewer` is None)."""
    q = (
        select(Decision.record_id, func.max(Decision.id).label("decision_id"))
        .where(Decision.stage == stage)
        .where(col(Decision.retracted_at).is_(None))
    )
    if reviewer is not None:
        q = q.where(Decision.reviewer == reviewer)
    return q.group_by(col(Decision.record_id)).subquery()


def label_counts(s: Session, stage: str, reviewer: str | None = None) -> dict[str, int]:
    """How many records' standing decision at `stage` has each label (any reviewer's latest
    when `reviewer` is None)."""
    return dict(s.exec(_label_counts_query(stage, reviewer)).all())


@lru_cache(maxsize=64)
def _label_counts_query(stage: str, reviewer: str | None) -> Any:
    """Built once per stage and reviewer: it runs on every key press (screening progress)."""
    sub = current_decisions_subquery(stage, reviewer)
    return (
        select(Decision.label, func.count())
        .join(sub, sub.c.decision_id == Decision.id)
        .group_by(col(Decision.label))
    )
