"""The recall estimate over time, for the sparkline on the screening screen.

After each of up to `points` evenly spaced numbers of decisions, the estimate the stopping
advice shows in the ranking phase (`screening.recall`): the conditional lower bound
found / (found + upper rate of the last `window` decisions × unscreened). It rises as the
ranking runs dry; a dip means includes turned up again among the recent records. Under the
`decay` rule (the protocol's `stopping_rule`), that rule's bound instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from review import service as review_service
from review import settings
from review.db import Store
from screening.recall import MIN_WINDOW, RECENT_WINDOW, upper_rate
from screening.stopping import DEFAULT_RULE, StoppingRule
from screening.stopping_decay import missed_bound


def estimate_history(
    labels_in_order: Sequence[int],
    total: int,
    *,
    window: int = RECENT_WINDOW,
    level: float = 0.95,
    points: int = 60,
) -> list[float]:
    """The recall lower bound after evenly spaced numbers of decisions (oldest first), from
    the first point with an estimate (≥ `MIN_WINDOW` decisions and an include) to now."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    start = min(MIN_WINDOW, total)
    if n < max(start, 1):
        return []
    found = np.concatenate([[0], np.cumsum(y)])
    out = []
    for s in np.unique(np.linspace(start, n, max(points, 1)).round().astype(int)):
        if found[s] == 0:
            continue
        recent = y[max(0, s - window) : s]
        rate = upper_rate(int(recent.sum()), len(recent), level)
        out.append(float(found[s] / (found[s] + rate * max(total - s, 0))))
    return out


def recall_estimates(
    store: Store, *, stage: str = "title-abstract", reviewer: str = "", points: int = 60
) -> list[float]:
    """This reviewer's recall estimate over time at `stage` ("maybe" counts as an include,
    as in the stopping advice)."""
    total = review_service.screening_progress(store, stage=stage, reviewer=reviewer).total
    standing = review_service.standing_in_order(store, stage=stage, reviewer=reviewer)
    labels = [0 if label == "exclude" else 1 for _, label, _ in standing]
    rule = StoppingRule.parse(settings.protocol(store).stopping_rule or DEFAULT_RULE)
    if rule.name in ("decay", "switch"):  # switch: the same bound up to its switch
        return decay_history(labels, total, rule, points=points)
    return estimate_history(labels, total, points=points)


def decay_history(
    labels_in_order: Sequence[int], total: int, rule: StoppingRule, *, points: int = 60
) -> list[float]:
    """`estimate_history` under the `decay` rule's bound (screening.stopping_decay)."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    start = min(MIN_WINDOW, total)
    if n < max(start, 1):
        return []
    found, missed = missed_bound(y, total, rule.decay_share, rule.decay_level, MIN_WINDOW)
    picks = np.unique(np.linspace(start, n, max(points, 1)).round().astype(int)) - 1
    return [float(found[i] / (found[i] + missed[i])) for i in picks if found[i] > 0]
