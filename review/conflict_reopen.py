"""Taking a lead's resolution back: the conflict is open again. Resolutions are append-only,
so a reopening is one more row, with the label `reopened` (`review.consensus.REOPENED`),
which `latest_resolutions` reads as "no resolution stands"; it is audited like a resolution."""

from __future__ import annotations

from review.audited import add_audited
from review.consensus import REOPENED, latest_resolutions
from review.db import Store
from review.decisions import check_stage
from review.errors import NotFoundError
from review.models import ConflictResolution, utcnow


def reopen_conflict(store: Store, record_id: int, *, stage: str, by: str) -> None:
    """Withdraw the standing resolution of record `record_id`'s conflict at `stage`."""
    check_stage(stage)
    standing = latest_resolutions(store, stage).get(record_id)
    if standing is None:
        raise NotFoundError(
            f"record {record_id} has no resolved conflict at {stage}",
            hint="`litsift conflicts` lists the open ones",
        )
    with store.session() as s:
        add_audited(
            s,
            ConflictResolution(
                record_id=record_id,
                stage=stage,
                label=REOPENED,
                resolved_by=by,
                created_at=utcnow(),
            ),
            actor=by,
            action="reopen-conflict",
            target=f"record:{record_id}",
            detail=lambda r: {"resolution": r.id, "stage": stage, "withdrawn": standing.id},
        )
