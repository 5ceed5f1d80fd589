"""When to stop screening, and how much recall was reached.

Two rules, with different guarantees:

- `consecutive` (heuristic): stop after `n` excludes in a row (default: max(50, 5% of N)).
  **No guarantee**: it says the model has run dry, not that the remaining records are empty of
  includes. Cheap, and often fine on large easy reviews; it can stop far too early on others.

- `hypergeom` (Callaghan & Müller-Hansen 2020, the default): screen by ranking until the
  ranking runs dry (`switch_point`: the last max(50, 5% of N) records hold no include — or, on
  a review with high prevalence, their yield fell to a tenth of the average), then screen a
  *random sample* of the unscreened records, one at a time. After each draw, test H0
  "recall < target" with the hypergeometric distribution: with r includes found so far
  (ranking phase + sample), the smallest number of includes the unscreened pool must have
  held at the switch for H0 to be true is
  K = floor(r / target − r_ranked) + 1; the p value is P(X ≤ k) for X ~ Hypergeom(N_pool, K, n)
  with k includes among n drawn. Stop when p < alpha. **Guarantee**: if the sample is truly
  random, P(recall < target) ≤ alpha (the test is applied after each draw; the authors show
  this remains conservative because H0 uses the smallest K). The cost is the sample: with few
  includes, ruling out one missed include needs a large share of the pool.

- `decay` (screening.stopping_decay): a bound that lets the include rate fall with rank (the
  unscreened rest holds no more includes than the last third of the screened records), then a
  random check sized so that a rest as rich as the records screened so far would show an
  include with 95% probability. Its guarantee is conditional on the bound's assumption; the
  check is what catches a ranking that failed. Chosen leave-one-review-out on 15 reviews.

- `switch` (screening.stopping_switch): `decay`'s bound, then SAFE's third phase (Boetje & van
  de Schoot 2024) — the ranking changes to a second model (naive Bayes on the same features)
  until the bound holds on the records it served, then `decay`'s random check. Aimed at the
  pocket of includes a ranking leaves late; judged in bench/stopping_switch_bench.py.

`recall_interval` gives an estimate of recall from a random sample with an exact (Clopper-
Pearson-style, hypergeometric) interval: the honest figure to show beside the heuristics.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.stats import hypergeom

from screening.errors import ScreeningError
from screening.stopping_decay import CHECK_BETA, DECAY_LEVEL, DECAY_SHARE, decay_stop
from screening.stopping_rules import rate_stop

RULE_NAMES = ("hypergeom", "decay", "switch", "rate", "consecutive", "none")
DEFAULT_RULE = "hypergeom"


@dataclass(frozen=True)
class StoppingRule:
    """`name`: hypergeom, consecutive or none. `consecutive`: the run of excludes that fires
    the heuristic (0: max(50, `consecutive_fraction` × N))."""

    name: str = "hypergeom"
    target: float = 0.95
    alpha: float = 0.05
    consecutive: int = 0
    consecutive_fraction: float = 0.05
    drop: float = 0.1  # hypergeom: the sample starts when the recent yield falls this low
    window: int = 200  # rate: the recent records whose include rate bounds the rest
    level: float = 0.95  # rate: one-sided confidence of that bound
    decay_share: float = DECAY_SHARE  # decay: the window, a share of the records screened
    decay_level: float = DECAY_LEVEL  # decay: one-sided confidence of the window's rate
    check_beta: float = CHECK_BETA  # decay: the check misses a chance-level rest this often

    def __post_init__(self) -> None:
        if self.name not in RULE_NAMES:
            raise ScreeningError(
                f"unknown stopping rule {self.name!r}",
                hint="use hypergeom, decay, switch, rate, consecutive, consecutive:N or none",
            )

    def run_length(self, n_total: int) -> int:
        return self.consecutive or max(50, math.ceil(self.consecutive_fraction * n_total))

    @classmethod
    def parse(cls, text: str) -> StoppingRule:
        """`hypergeom`, `hypergeom:0.9` (target), `decay`, `decay:0.9`, `switch`, `switch:0.9`,
        `rate`, `rate:0.9`,
        `consecutive`, `consecutive:100`, `none`."""
        name, _, arg = text.partition(":")
        try:
            if name in ("hypergeom", "decay", "switch", "rate") and arg:
                return cls(name, target=float(arg))
            if name == "consecutive" and arg:
                return cls(name, consecutive=int(arg))
        except ValueError:
            raise ScreeningError(
                f"bad stopping rule {text!r}", hint="e.g. consecutive:100"
            ) from None
        return cls(name)


@dataclass(frozen=True)
class StopResult:
    rule: str
    fired: bool  # False: the rule never fired, everything was screened
    screened: int  # records screened when stopping
    n: int
    recall: float  # true recall reached when stopping (simulation only)
    switched_at: int | None = None  # hypergeom: records screened by ranking before the sample
    sample: int | None = None  # hypergeom: records in the random sample
    p_value: float | None = None

    @property
    def work_saved(self) -> float:
        return 1 - self.screened / self.n

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "work_saved": self.work_saved}


def consecutive_stop(labels_in_order: Sequence[int], run: int) -> int | None:
    """Records screened when `run` excludes in a row were first seen (None: never)."""
    streak = 0
    for i, y in enumerate(labels_in_order, 1):
        streak = 0 if y else streak + 1
        if streak >= run:
            return i
    return None


def allowed_in_window(window: int, found: int, screened: int, drop: float) -> int:
    """Includes the last `window` records may hold and still count as "the ranking ran dry":
    their yield at most `drop` × the yield so far (0 on 1–5% prevalence: a run of excludes)."""
    return math.floor(window * drop * found / max(screened, 1))


def switch_point(labels_in_order: Sequence[int], window: int, drop: float = 0.1) -> int | None:
    """Records screened when the ranking first ran dry: the last `window` records held at most
    `allowed_in_window` includes (None: never). On 1–5% prevalence this is `window` excludes
    in a row; at 27% prevalence a long run of excludes may never come, but the yield still
    falls to a tenth of the average."""
    y = np.asarray(labels_in_order, dtype=np.int64)
    if len(y) < window:
        return None
    c = np.concatenate([[0], np.cumsum(y)])
    i = np.arange(window, len(y) + 1)
    in_window = c[i] - c[i - window]
    allowed = np.floor(window * drop * c[i] / i)
    hit = np.flatnonzero(in_window <= allowed)
    return int(i[hit[0]]) if len(hit) else None


def hypergeom_p(n_pool: int, r_ranked: int, sample_labels: Sequence[int], target: float) -> float:
    """p value of H0 "recall < target" after a random sample (labels in draw order) from a
    pool of `n_pool` unscreened records, with `r_ranked` includes found before the sample."""
    n = len(sample_labels)
    k = int(sum(sample_labels))
    r = r_ranked + k
    big_k = math.floor(r / target - r_ranked) + 1
    if big_k > n_pool:
        return 1.0
    return float(hypergeom.cdf(k, n_pool, big_k, n))


def hypergeom_stop(
    labels_in_order: Sequence[int], rule: StoppingRule, rng: np.random.Generator
) -> StopResult:
    """Simulate the rule on a finished order: rank until the heuristic fires, then sample the
    rest at random (with `rng`) until H0 is rejected."""
    n = len(labels_in_order)
    k_total = sum(labels_in_order)
    switch = switch_point(labels_in_order, rule.run_length(n), rule.drop)
    if switch is None or switch >= n:  # never ran dry, or only at the very last record
        return StopResult(rule.name, False, n, n, 1.0, switch)
    r_ranked = sum(labels_in_order[:switch])
    pool = np.asarray(labels_in_order[switch:])
    sample = pool[rng.permutation(len(pool))]
    n_pool = len(pool)
    # p after each draw, vectorised: k and K after every draw
    k = np.cumsum(sample)
    draws = np.arange(1, n_pool + 1)
    big_k = np.floor((r_ranked + k) / rule.target - r_ranked) + 1
    p = np.where(big_k > n_pool, 1.0, hypergeom.cdf(k, n_pool, np.minimum(big_k, n_pool), draws))
    hit = np.flatnonzero(p < rule.alpha)
    if len(hit) == 0:
        return StopResult(rule.name, False, n, n, 1.0, switch, n_pool, float(p[-1]))
    m = int(hit[0]) + 1
    found = r_ranked + int(k[m - 1])
    return StopResult(rule.name, True, switch + m, n, found / k_total, switch, m, float(p[m - 1]))


def evaluate_stopping(
    rule: StoppingRule, labels_in_order: Sequence[int], rng: np.random.Generator
) -> StopResult | None:
    """Where `rule` stops on a simulated order, and the true recall there."""
    labels = [int(y) for y in labels_in_order]
    n, k_total = len(labels), sum(labels)
    if rule.name == "none":
        return None
    if rule.name == "consecutive":
        at = consecutive_stop(labels, rule.run_length(n))
        if at is None:
            return StopResult(rule.name, False, n, n, 1.0)
        return StopResult(rule.name, True, at, n, sum(labels[:at]) / k_total)
    if rule.name == "rate":
        at = rate_stop(labels, target=rule.target, window=rule.window, level=rule.level)
        if at is None:
            return StopResult(rule.name, False, n, n, 1.0)
        return StopResult(rule.name, True, at, n, sum(labels[:at]) / k_total)
    if rule.name == "decay":
        at, found = decay_stop(
            labels, rng, rule.target, rule.decay_share, rule.decay_level, rule.check_beta
        )
        return StopResult(rule.name, at < n, at, n, found / k_total if k_total else 1.0)
    if rule.name == "switch":
        raise ScreeningError(
            "the switch rule needs the records' features, not only the order's labels",
            hint="use screening.stopping_switch.switch_stop (litsift simulate --stop switch)",
        )
    return hypergeom_stop(labels, rule, rng)


def recall_interval(
    r_found: int, n_pool: int, sample_labels: Sequence[int], level: float = 0.95
) -> tuple[float, float, float]:
    """Recall estimate and exact interval from a random sample of a pool of unscreened records.

    `r_found`: includes found outside the sample (before it was drawn). Returns (estimate, low,
    high) for recall = found / (found + missed)."""
    n = len(sample_labels)
    k = int(sum(sample_labels))
    found = r_found + k
    if n == 0:
        return (float("nan"), 0.0, 1.0)
    a = (1 - level) / 2
    ks = np.arange(k, n_pool - (n - k) + 1)  # pool totals consistent with the sample
    upper_ok = ks[hypergeom.cdf(k, n_pool, ks, n) >= a]
    lower_ok = ks[hypergeom.sf(k - 1, n_pool, ks, n) >= a]
    k_hi = int(upper_ok.max()) if len(upper_ok) else n_pool - (n - k)
    k_lo = int(lower_ok.min()) if len(lower_ok) else k
    est_missed = (k * n_pool / n) - k

    def rec(missed: float) -> float:
        return found / (found + missed) if found + missed > 0 else 1.0

    return (rec(est_missed), rec(k_hi - k), rec(k_lo - k))
