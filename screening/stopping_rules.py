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
from typing import Any

import numpy as np
from scipy.stats import beta

from screening.stopping_decay import checked_stop


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


def rate_ok(
    labels_in_order: Sequence[int],
    target: float = 0.95,
    window: int = 200,
    level: float = 0.95,
    min_screened: int = 50,
) -> np.ndarray:
    """For s = 1..N screened: does found / (found + upper_rate(last `window`) × unscreened)
    reach `target`?"""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    c = np.concatenate([[0], np.cumsum(y)])
    s = np.arange(1, n + 1)
    w = np.minimum(window, s)
    k = c[s] - c[s - w]
    ub = np.where(k >= w, 1.0, beta.ppf(level, k + 1, np.maximum(w - k, 1)))
    found = c[s]
    return (s >= min_screened) & (found > 0) & (found >= target * (found + ub * (n - s)))


def rate_stop(labels_in_order: Sequence[int], **kw: Any) -> int | None:
    """Stop when `rate_ok` first holds."""
    hit = np.flatnonzero(rate_ok(labels_in_order, **kw))
    return int(hit[0]) + 1 if len(hit) else None


def rate_more(
    ranked_labels: Sequence[int],
    total: int,
    target: float = 0.95,
    window: int = 200,
    level: float = 0.95,
    min_screened: int = 50,
) -> int | None:
    """How many more records, all excludes, before `rate_stop` fires (0: it fires now; None:
    not before the end)."""
    y = np.asarray(ranked_labels, dtype=np.int64)
    s, found = len(y), int(y.sum())
    if found == 0 or s >= total:
        return None if s < total else 0
    m = np.arange(0, total - s + 1)
    w = np.minimum(window, s + m)
    tail = np.concatenate([[0], np.cumsum(y[::-1])])  # includes among the last j ranked
    k = tail[np.clip(w - m, 0, s)]
    ub = np.where(k >= w, 1.0, beta.ppf(level, k + 1, np.maximum(w - k, 1)))
    ok = (s + m >= min_screened) & (found >= target * (found + ub * (total - s - m)))
    hit = np.flatnonzero(ok)
    return int(m[hit[0]]) if len(hit) else None


def safe_ok(
    labels_in_order: Sequence[int],
    min_share: float = 0.1,
    run_share: float = 0.05,
    min_run: int = 50,
) -> np.ndarray:
    """For s = 1..N screened: SAFE's heuristic pre-condition — screened ≥ `min_share` × N and
    ≥ 2 × found, and the last max(`min_run`, `run_share` × N) records all excludes."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n = len(y)
    run_needed = max(min_run, math.ceil(run_share * n))
    s = np.arange(1, n + 1)
    last_inc = np.maximum.accumulate(np.where(y == 1, s, 0))
    streak = s - last_inc
    return (streak >= run_needed) & (s >= min_share * n) & (s >= 2 * np.cumsum(y))


def safe_stop(labels_in_order: Sequence[int], **kw: Any) -> int | None:
    """Stop when `safe_ok` first holds."""
    hit = np.flatnonzero(safe_ok(labels_in_order, **kw))
    return int(hit[0]) + 1 if len(hit) else None


def safe_rate_stop(
    labels_in_order: Sequence[int],
    safe: dict[str, Any] | None = None,
    rate: dict[str, Any] | None = None,
) -> int | None:
    """Stop when SAFE's pre-condition and the rate bound both hold."""
    ok = safe_ok(labels_in_order, **(safe or {})) & rate_ok(labels_in_order, **(rate or {}))
    hit = np.flatnonzero(ok)
    return int(hit[0]) + 1 if len(hit) else None


def checked_rate_stop(
    labels_in_order: Sequence[int],
    rng: np.random.Generator,
    *,
    check_min: int = 30,
    check_share: float = 0.05,
    **rate: Any,
) -> tuple[int, int]:
    """`rate_stop` with a random check (SAFE's combination: a heuristic, then a random sample):
    when the rate bound says stop, screen max(`check_min`, `check_share` × unscreened) records
    drawn at random from the unscreened; an include among them means the ranking missed some,
    so screening goes on by ranking (see `checked_stop`). Returns (records screened, includes
    found) at the stop: ranked + checked records."""
    ok = rate_ok(labels_in_order, **rate)
    return checked_stop(
        labels_in_order, ok, rng, lambda f, s, u: max(check_min, math.ceil(check_share * u))
    )


def target_stop(
    labels_in_order: Sequence[int], rng: np.random.Generator, target_size: int = 59
) -> tuple[int, int]:
    """Cormack & Grossman's (2016) target method: draw records at random from the whole
    collection until `target_size` includes are found (the target set), then screen by ranking
    until every one of them has come up. If recall at that point were under 95%, all targets
    would lie in the first 95% of includes: probability ≤ 0.95^T, under 5% for T ≥ 59. Returns
    (records screened: ranked ∪ sample, includes found); a review with fewer includes than T
    is screened to the end."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    n, k = len(y), int(y.sum())
    perm = rng.permutation(n)  # positions in ranking order, in draw order
    found = np.cumsum(y[perm])
    if k < target_size:
        return n, k
    sample = perm[: int(np.searchsorted(found, target_size)) + 1]
    s = int(sample[y[sample] == 1].max()) + 1
    late = sample[sample >= s]
    return s + len(late), int(y[:s].sum() + y[late].sum())
