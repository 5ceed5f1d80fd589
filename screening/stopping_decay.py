"""The `decay` stopping rule: a bound that lets the include rate fall, then a random check.

The `rate` rule (screening.stopping_rules) bounds the includes still unscreened by assuming the
whole unscreened rest is as rich as the last records screened. A working ranking serves the
likeliest records first, so its include rate *decays* with rank; a flat bound over a long rest
then asks for a run of excludes nearly as long as the rest (on a 952-record review with 20
includes, ~0.7 × the rest), and saves little where the ranking is best.

`decay` makes the decay part of the assumption and checks it at random:

1. **Bound.** Window w = max(`min_window`, ⌈`share` × s⌉), the last third of the s records
   screened. Assumption: the unscreened rest holds no more includes than that window could
   (the rate is no higher than the window's, and the rest is worth at most one more window —
   the rate at least halves from one window to the next). With k includes in the window, the
   upper `level` bound of its rate p̂ (exact, Clopper-Pearson) gives missed ≤ p̂ × min(rest, w).
   The bound fires when found ≥ target × (found + missed). This is the tail estimate of a
   decaying discovery curve (Sneyd & Stevenson 2021 fit such curves as Poisson processes); its
   guarantee is conditional on the assumption.
2. **Random check** (SAFE's order, Boetje & van de Schoot 2024: a heuristic, then a random
   sample). When the bound fires, screen m records drawn at random from the unscreened, m the
   least with (1 − found/screened)^m ≤ `beta`: if the rest were as rich as the records screened
   so far — the ranking no better than chance from here on — the check would meet an include
   with probability ≥ 1 − `beta`. No include: stop. An include: the ranking missed some, so
   screening goes on by ranking (at least m records) until the bound and a new check pass.

Parameters were chosen leave-one-review-out on 15 reviews (bench/stopping_bench.py,
docs/benchmarks.md): share 1/3, level 0.65, beta 0.05.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy.stats import beta as beta_dist

DECAY_SHARE = 1 / 3
DECAY_LEVEL = 0.65
CHECK_BETA = 0.05
MIN_WINDOW = 50  # records: no window (and no stop) before this many are screened
MIN_CHECK = 10  # records in the smallest random check


def _upper(k: np.ndarray, w: np.ndarray, level: float) -> np.ndarray:
    """One-sided exact upper bound of k/w, elementwise (1 when every record was an include)."""
    return np.where(k >= w, 1.0, beta_dist.ppf(level, k + 1, np.maximum(w - k, 1)))


def missed_bound(
    ranked: np.ndarray, total: int, share: float, level: float, min_window: int
) -> tuple[np.ndarray, np.ndarray]:
    """For s = 1..len(ranked) screened out of `total`: (found, upper bound of the includes
    still unscreened) under the decay assumption."""
    y = np.asarray(ranked, dtype=np.int64)
    c = np.concatenate([[0], np.cumsum(y)])
    s = np.arange(1, len(y) + 1)
    w = np.minimum(s, np.maximum(min_window, np.ceil(share * s).astype(np.int64)))
    k = c[s] - c[s - w]
    return c[s], _upper(k, w, level) * np.minimum(total - s, w)


def decay_ok(
    labels_in_order: Sequence[int],
    target: float = 0.95,
    share: float = DECAY_SHARE,
    level: float = DECAY_LEVEL,
    min_window: int = MIN_WINDOW,
) -> np.ndarray:
    """For s = 1..N screened: does the decay bound say recall ≥ `target`?"""
    y = np.asarray(labels_in_order, dtype=np.int64)
    if len(y) == 0:
        return np.zeros(0, dtype=bool)
    found, missed = missed_bound(y, len(y), share, level, min_window)
    s = np.arange(1, len(y) + 1)
    return (s >= min_window) & (found > 0) & (found >= target * (found + missed))


def decay_recall_low(
    ranked: Sequence[int],
    total: int,
    share: float = DECAY_SHARE,
    level: float = DECAY_LEVEL,
    min_window: int = MIN_WINDOW,
) -> float | None:
    """The bound's recall after the records screened so far (None: too few, or none found)."""
    y = np.asarray(ranked, dtype=np.int64)
    if len(y) < min(min_window, total) or y.sum() == 0:
        return None
    found, missed = missed_bound(y, total, share, level, min_window)
    return float(found[-1] / (found[-1] + missed[-1]))


def decay_more(
    ranked: Sequence[int],
    total: int,
    target: float = 0.95,
    share: float = DECAY_SHARE,
    level: float = DECAY_LEVEL,
    min_window: int = MIN_WINDOW,
) -> int | None:
    """How many more records, all excludes, before the bound fires (0: it holds now; None:
    not before the end, e.g. nothing found yet)."""

    def ok(ahead: np.ndarray) -> np.ndarray:
        found, missed = missed_bound(ahead, total, share, level, min_window)
        n = np.arange(1, total + 1)
        return (n >= min_window) & (found >= target * (found + missed))

    return more_until(ranked, total, ok)


def more_until(
    ranked: Sequence[int], total: int, ok: Callable[[np.ndarray], np.ndarray]
) -> int | None:
    """How many more records, all excludes, before `ok` (of the labels of all `total`
    records, the rest taken as excludes) first holds after the records screened so far (0: it
    holds now; None: not before the end, e.g. nothing found yet)."""
    y = np.asarray(ranked, dtype=np.int64)
    s = len(y)
    if s >= total:
        return 0
    if y.sum() == 0:
        return None
    hit = np.flatnonzero(ok(np.concatenate([y, np.zeros(total - s, dtype=np.int64)]))[s - 1 :])
    return int(hit[0]) if len(hit) else None  # hit[0] = m: it holds after m more records


def check_size(found: int, screened: int, unscreened: int, beta: float = CHECK_BETA) -> int:
    """Records in the random check: the least m with (1 − found/screened)^m ≤ `beta` (at
    least MIN_CHECK, at most the unscreened)."""
    if unscreened <= 0:
        return 0
    rate = found / screened if screened else 0.0
    if rate <= 0:
        return unscreened  # nothing found: no rate to test against, screen the rest
    m = math.ceil(math.log(beta) / math.log1p(-rate)) if rate < 1 else 1
    return min(unscreened, max(MIN_CHECK, m))


def checked_stop(
    labels_in_order: Sequence[int],
    ok: np.ndarray,
    rng: np.random.Generator,
    size: Callable[[int, int, int], int],
) -> tuple[int, int]:
    """Simulate "rank until `ok`, then a random check of `size(found, screened, unscreened)`
    records": no include in the check stops; an include sends screening back to the ranking
    (at least as many records as were checked) until `ok` holds again and a new check passes.
    Returns (records screened: ranked + checked, includes found) at the stop."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    checked = np.zeros(n, dtype=bool)  # positions (in ranking order) screened by a check
    s = 0
    while True:
        hit = np.flatnonzero(ok[s:])
        if len(hit) == 0:
            return n, int(y.sum())
        s = s + int(hit[0]) + 1  # the bound holds after s ranked records
        rest = np.flatnonzero(~checked[s:]) + s
        if len(rest) == 0:
            return n, int(y.sum())
        found = int(y[:s].sum() + y[s:][checked[s:]].sum())
        m = min(len(rest), size(found, s + int(checked[s:].sum()), len(rest)))
        draw = rng.choice(rest, size=m, replace=False)
        checked[draw] = True
        if y[draw].sum() == 0:  # the check found nothing: stop
            return s + int(checked[s:].sum()), int(y[:s].sum() + y[s:][checked[s:]].sum())
        s = min(n - 1, s + m)  # an include: rank on, at least as many records as were checked


def decay_stop(
    labels_in_order: Sequence[int],
    rng: np.random.Generator,
    target: float = 0.95,
    share: float = DECAY_SHARE,
    level: float = DECAY_LEVEL,
    beta: float = CHECK_BETA,
) -> tuple[int, int]:
    """The `decay` rule on a finished order: (records screened, includes found) at its stop."""
    ok = decay_ok(labels_in_order, target, share, level)
    return checked_stop(labels_in_order, ok, rng, lambda f, s, u: check_size(f, s, u, beta))
