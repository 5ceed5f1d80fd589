"""The next record in dual screening: the best of the records a reviewer still owes
(`review.owed`), by the random check's draw order, the ranking, or import order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from review import service as review_service
from review.db import Store

if TYPE_CHECKING:
    from screening.service import Check, ReviewRanker


def next_owed(
    store: Store,
    owed: set[int],
    *,
    ranker: ReviewRanker | None = None,
    skip: Sequence[int] = (),
    check: Check | None = None,
) -> dict[str, Any] | None:
    """The record to serve next among `owed` (record ids), or None when nothing is owed."""
    todo = owed.difference(skip)
    if not todo:
        return None
    if check is not None:
        for drawn in check.pool:
            if drawn in todo:
                return review_service.get_record(store, drawn)
    if ranker is not None:
        while (rid := ranker.next_record_id(skip)) is not None:
            if rid in todo:
                return review_service.get_record(store, rid)
            ranker.hide(rid)  # decided by this reviewer, or by two others already
    return review_service.get_record(store, min(todo))
