"""The settled outcome of screening: one final label per record and stage.

Everything that counts or trains on "what was decided" (PRISMA, exports, the ranking's settled
labels) reads it here, so single and dual screening are one question with one answer.

In single screening a record's final label at a stage is the latest standing (not retracted)
decision by any reviewer. Dual screening (protocol `screening_mode = "dual"`) extends this
module: a record is settled when its reviewers agree or a lead resolved the conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from review.db import Store
from review.models import Decision


@dataclass(frozen=True)
class FinalLabel:
    """A record's settled decision at one stage."""

    record_id: int
    stage: str
    label: str
    reason: str
    reviewers: tuple[str, ...]


def final_labels(store: Store, stage: str) -> dict[int, FinalLabel]:
    """Record id → its settled label at `stage` (records with no settled label are absent)."""
    with store.session() as s:
        rows = s.exec(
            select(Decision)
            .where(Decision.stage == stage, col(Decision.retracted_at).is_(None))
            .order_by(col(Decision.id))
        ).all()
    out: dict[int, FinalLabel] = {}
    for d in rows:  # later decisions win
        out[d.record_id] = FinalLabel(d.record_id, stage, d.label, d.reason, (d.reviewer,))
    return out
