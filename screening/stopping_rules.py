"""More stopping rules, judged on simulated orders beside `hypergeom` (bench/stopping_bench.py).

Each takes the labels in screening order (1 include) and returns the number of records screened
when the rule says stop (None: it never does, everything is screened).

- `knee_stop` (Cormack & Grossman 2016, "knee method" with their adjustment): at rank s, find
  the knee i of the gain curve (the point farthest above the line from the origin to (s, r_s));
  the slope ratio rho = (r_i / i) / ((r_s − r_i + 1) / (s − i)). Stop when
  rho ≥ `base` − min(r_s, 150) and s ≥ `min_rank`. A heuristic: no stated confidence.
- `rate_stop` (a counting-process bound, as Sneyd & Stevenson 2021 but with the flat rate of the
  recent window): if the unscreened records are no richer than the last `window` screened
  (the ranking serves the likeliest first), then with confidence `level` the number still
  missed is at most upper_rate × unscreened; stop when found / (found + that) ≥ target.
  Its guarantee is conditional on that assumption.
- `safe_stop` (after Boetje & van de Schoot 2024's SAFE): a heuristic pre-condition (screened
  ≥ `min_share` of N, and ≥ `run_share` × N excludes in a row, and ≥ 2 × found) before the
  heuristic may stop; optionally with the knee as second opinion.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.stats import beta


def knee_stop(
    labels_in_order: Sequence[int], base: float = 156.0, min_rank: int = 150, every: int = 1
) -> int | None:
    """Cormack & Grossman's knee method with the adjusted ratio `base` − min(found, 150)."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    c = np.concatenate([[0], np.cumsum(y)])
    for s in range(max(min_rank, 2), n + 1, every):
        r_s = int(c[s])
        if r_s == 0:
            continue
        i = np.arange(1, s)
        gap = c[1:s] * s - i * r_s  # ∝ distance above the line from (0,0) to (s, r_s)
        knee = int(i[np.argmax(gap)])
        r_i = int(c[knee])
        rho = (r_i / knee) / ((r_s - r_i + 1) / (s - knee))
        if rho >= base - min(r_s, 150):
            return s
    return None


def upper_rate(k: int, n: int, level: float) -> float:
    """One-sided exact (Clopper-Pearson) upper bound of a proportion k/n."""
    if n == 0 or k >= n:
        return 1.0
    return float(beta.ppf(level, k + 1, n - k))


def rate_stop(
    labels_in_order: Sequence[int],
    target: float = 0.95,
    window: int = 200,
    level: float = 0.95,
    min_screened: int = 50,
    every: int = 1,
) -> int | None:
    """Stop when found / (found + upper_rate(last `window`) × unscreened) ≥ `target`."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    c = np.concatenate([[0], np.cumsum(y)])
    for s in range(max(min_screened, 1), n + 1, every):
        w = min(window, s)
        k = int(c[s] - c[s - w])
        missed = upper_rate(k, w, level) * (n - s)
        if c[s] and c[s] / (c[s] + missed) >= target:
            return s
    return None


def rate_needed(found: int, unscreened: int, target: float, window: int, level: float) -> int:
    """Excludes in a row still needed before `rate_stop` fires (the recent window all
    excludes), assuming no more includes turn up: the smallest m with
    found / (found + upper_rate(0, m) × (unscreened − m)) ≥ target, capped at `unscreened`."""
    if found == 0:
        return unscreened
    allowed = found / target - found  # includes the bound may leave unfound
    lo, hi = 1, max(1, min(window, unscreened))
    if upper_rate(0, hi, level) * (unscreened - hi) > allowed:
        return unscreened if window <= unscreened else hi
    while lo < hi:
        mid = (lo + hi) // 2
        if upper_rate(0, mid, level) * (unscreened - mid) <= allowed:
            hi = mid
        else:
            lo = mid + 1
    return lo


def safe_stop(
    labels_in_order: Sequence[int],
    min_share: float = 0.1,
    run_share: float = 0.05,
    min_run: int = 50,
) -> int | None:
    """SAFE-style heuristic: screened ≥ `min_share` × N and ≥ 2 × found, and the last
    max(`min_run`, `run_share` × N) records all excludes."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    run_needed = max(min_run, math.ceil(run_share * n))
    c = np.cumsum(y)
    streak = 0
    for s in range(1, n + 1):
        streak = 0 if y[s - 1] else streak + 1
        if streak >= run_needed and s >= min_share * n and s >= 2 * c[s - 1]:
            return s
    return None
