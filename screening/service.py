"""The screening service: which record to show next, and recording a screening decision.

Until the ranking engine lands, `next_record` serves records in import order.
"""

from __future__ import annotations

from typing import Any

from review import service as review_service
from review.db import Store


def next_record(
    store: Store, *, reviewer: str = "", stage: str = "title-abstract"
) -> dict[str, Any] | None:
    """The next record this reviewer should screen at `stage`, or None when all are done."""
    return review_service.first_undecided(store, stage=stage, reviewer=reviewer)
