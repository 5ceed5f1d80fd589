"""The next record in dual screening: the best of the records a reviewer still owes
(`review.owed`), by the random check's draw order, the ranking, or import order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from review import service as review_service
from review.db import Store
from review.owed import first_owed, owed_among
from review.records import RecordView

if TYPE_CHECKING:
    from screening.service import Check, ReviewRanker


def next_owed(
    store: Store,
    needed: int,
    *,
    stage: str,
    reviewer: str,
    ranker: ReviewRanker | None = None,
    skip: Sequence[int] = (),
    check: Check | None = None,
) -> RecordView | None:
    """The record to serve next among those `reviewer` owes at `stage`, or None."""

    def owed(ids: Sequence[int]) -> set[int]:
        return owed_among(store, ids, stage=stage, reviewer=reviewer, needed=needed)

    if check is not None:
        skipped = set(skip)
        todo = [rid for rid in check.pool if rid not in skipped]
        for i in range(0, len(todo), 64):  # one query per 64 draws, in draw order
            chunk = todo[i : i + 64]
            open_ids = owed(chunk)
            for drawn in chunk:
                if drawn in open_ids:
                    return review_service.get_record(store, drawn)
    if ranker is not None:
        while (rid := ranker.next_record_id(skip)) is not None:
            if owed([rid]):
                return review_service.get_record(store, rid)
            ranker.hide(rid)  # decided by this reviewer, or by two others already
        return None
    rid = first_owed(store, stage=stage, reviewer=reviewer, needed=needed, skip=skip)
    return None if rid is None else review_service.get_record(store, rid)
