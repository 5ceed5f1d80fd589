"""Recording, undoing and listing decisions (the decision log is append-only), and the audit
log every change writes to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Unpack

from sqlmodel import col, select

from review.db import Store
from review.decisions import (
    DecisionOptions,
    DecisionView,
    add_decision,
    decision_view,
    retract_last,
)
from review.models import AuditEntry, Decision, Record


def record_decision(
    store: Store, record_id: int, label: str, **options: Unpack[DecisionOptions]
) -> DecisionView:
    """Record a decision (`options`: stage, by default title-abstract; reviewer, reason, note,
    model_version); it is committed (durable) when this returns."""
    with store.session() as s:
        d = add_decision(s, record_id, label, **options)
        r = s.get(Record, record_id)
        assert r is not None
        return decision_view(d, r.source_key)


def undo_decision(
    store: Store, *, stage: str = "title-abstract", reviewer: str = ""
) -> DecisionView:
    """Retract the reviewer's latest standing decision at `stage`."""
    with store.session() as s:
        d = retract_last(s, stage=stage, reviewer=reviewer)
        r = s.get(Record, d.record_id)
        assert r is not None
        return decision_view(d, r.source_key)


def list_decisions(
    store: Store,
    *,
    stage: str | None = None,
    reviewer: str | None = None,
    include_retracted: bool = True,
) -> list[DecisionView]:
    """Every decision in the order made (the audit trail of screening)."""
    with store.session() as s:
        q = select(Decision, Record.source_key).join(Record, col(Record.id) == Decision.record_id)
        if stage:
            q = q.where(Decision.stage == stage)
        if reviewer is not None:
            q = q.where(Decision.reviewer == reviewer)
        if not include_retracted:
            q = q.where(col(Decision.retracted_at).is_(None))
        return [decision_view(d, key) for d, key in s.exec(q.order_by(col(Decision.id))).all()]


@dataclass
class HistoryRow:
    """A decision with the title of its record, for browsing the screening history."""

    decision: DecisionView
    title: str


def decision_history(
    store: Store,
    *,
    stage: str | None = None,
    reviewer: str | None = None,
    label: str | None = None,
    search: str = "",
    limit: int = 500,
) -> list[HistoryRow]:
    """Decisions newest first, filtered by stage, reviewer, label and words of the title."""
    with store.session() as s:
        q = select(Decision, Record.source_key, Record.title).join(
            Record, col(Record.id) == Decision.record_id
        )
        if stage:
            q = q.where(Decision.stage == stage)
        if reviewer is not None:
            q = q.where(Decision.reviewer == reviewer)
        if label:
            q = q.where(Decision.label == label)
        for word in search.split():
            q = q.where(col(Record.title).ilike(f"%{word}%"))
        rows = s.exec(q.order_by(col(Decision.id).desc()).limit(limit)).all()
        return [HistoryRow(decision_view(d, key), title) for d, key, title in rows]


def audit_log(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    """The latest entries of the audit log, newest first."""
    with store.session() as s:
        rows = s.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)).all()
        return [json.loads(r.model_dump_json()) for r in rows]
