"""Stopping screening under the stopping rule, for the record.

When the lead stops screening a stage, the recall estimate it stopped at is stored with the
review (`review.automation.record_stop`); PRISMA then reports the records still unscreened
as never screened, with that estimate.
"""

from __future__ import annotations

from typing import Any

from review import automation
from review.db import Store
from screening.errors import ScreeningError
from screening.service import stopping_advice


def stop_screening(
    store: Store,
    *,
    stage: str = "title-abstract",
    reviewer: str = "",
    force: bool = False,
    actor: str = "",
) -> dict[str, Any]:
    """Stop screening `stage` on the strength of `reviewer`'s stopping advice. Refused unless
    the rule says it is safe (or every record is screened) — `force` stops anyway, and the
    estimate stored says where it stood."""
    advice = stopping_advice(store, stage=stage, reviewer=reviewer)
    if advice.phase not in ("safe", "done") and not force:
        raise ScreeningError(
            f"the stopping rule does not say it is safe to stop yet: {advice.message}",
            hint="screen on (see `litsift stopping`), or stop anyway with --force",
        )
    info = {
        "stage": stage,
        "reviewer": reviewer,
        "phase": advice.phase,
        "recall": advice.recall,
        "recall_low": advice.recall_low,
        "recall_high": advice.recall_high,
        "target": advice.target,
        "screened": advice.screened,
        "total": advice.total,
        "forced": advice.phase not in ("safe", "done"),
        "message": advice.message,
    }
    automation.record_stop(store, stage, info, actor=actor or reviewer)
    return info


def resume_screening(store: Store, *, stage: str = "title-abstract", actor: str = "") -> None:
    """Take back a stop: unscreened records are pending again."""
    automation.clear_stop(store, stage, actor=actor)
