"""Recall estimate and stopping advice for a review being screened (not a simulation).

The advice follows the `hypergeom` rule of `screening.stopping`, the one the simulations
check, in two phases:

1. **Ranking.** Records come best-first. The rule waits for a run of excludes (by default
   max(50, 5% of the records)). Meanwhile the recall estimate is a *conditional lower bound*:
   if the unscreened records are no richer in includes than the last `window` screened (true
   when the ranking works, since it serves the likeliest first), then with 95% confidence
   recall ≥ found / (found + upper rate × unscreened), the upper rate being the exact
   (Clopper-Pearson) bound of the include rate in that window.
2. **Random check.** When the run is reached, the reviewer screens a random sample of the
   records left unscreened at that moment (the *pool*). After each draw the hypergeometric
   test of H0 "recall < target" gives a p value; below `alpha` it is safe to stop. The
   estimate becomes `recall_interval`'s, which needs no assumption about the ranking. The
   recommended stopping point is how many more random records, with no include among them,
   would reject H0.

The `decay` rule (screening.stopping_decay) has the same two phases: ranking until its bound
holds (the advice says how many more records with no include that takes, and the size of the
check after), then a random check of a stated size; an include in the check means the ranking
missed some — cancel the check and screen on by ranking.

"maybe" counts as an include here: an unresolved record must not make stopping look safer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from scipy.stats import beta, hypergeom

from screening.stopping import StoppingRule, allowed_in_window, hypergeom_p, recall_interval
from screening.stopping_decay import check_size, decay_more, decay_recall_low
from screening.stopping_rules import rate_more
from screening.stopping_switch import MIN_SWITCH, switch_more, switch_recall_low, switch_start

RECENT_WINDOW = 200  # decisions the include rate is bounded on
MIN_WINDOW = 50  # no estimate before this many decisions


@dataclass(frozen=True)
class StoppingAdvice:
    """Where a reviewer stands against the stopping rule, and the recall estimate."""

    phase: str  # "ranking", "second" (switch: the second model's ranking), "check" (random
    # sample under way), "safe" (H0 rejected / the check found nothing), "done"
    total: int  # records to screen at this stage
    screened: int
    found: int  # includes (and maybes) so far
    run: int  # excludes in a row at the end of the ranked phase so far
    run_needed: int  # run that starts the random check
    recall: float | None  # point estimate (check phase), None before
    recall_low: float | None  # lower bound (conditional in the ranking phase)
    recall_high: float | None
    target: float
    alpha: float
    sample: int = 0  # random records screened so far
    sample_found: int = 0
    pool: int = 0  # records unscreened when the check started
    p_value: float | None = None
    more_to_stop: int | None = None  # random records with no include that would make it safe
    ready: bool = False  # ranking phase: the ranking ran dry, time for the random check
    rule: str = "hypergeom"
    check_size: int = 0  # decay: records in the random check (the one under way or the next)

    @property
    def message(self) -> str:
        """One line for a status bar."""
        pct = f"{self.target:.0%}"
        if self.phase == "done":
            return (
                "nothing to screen yet" if self.total == 0 else "all records screened: recall 100%"
            )
        if self.rule == "decay" or (self.rule == "switch" and self.phase in ("check", "safe")):
            return self._decay_message(pct)
        if self.rule == "switch":
            return self._switch_message(pct)
        if self.phase == "ranking" and self.rule != "rate":
            low = "" if self.recall_low is None else f"recall ≳ {self.recall_low:.0%} · "
            if self.ready:
                return f"{low}the ranking ran dry: time for the random check"
            return (
                f"{low}{self.run}/{self.run_needed} excludes in a row, then a random check"
                f" for {pct} recall"
            )
        if self.rule == "rate":
            low = "" if self.recall_low is None else f"recall ≳ {self.recall_low:.0%} · "
            if self.phase == "safe":
                return (
                    f"{low}safe to stop for {pct} recall (if the rest is no richer than the last)"
                )
            if self.more_to_stop is None:
                return f"{low}screen on: the bound cannot reach {pct} before the end"
            return f"{low}stop after {self.more_to_stop} more with no include ({pct} bound)"
        est = "" if self.recall is None else f"recall ≈ {self.recall:.0%} · "
        if self.phase == "safe":
            return f"{est}safe to stop: recall ≥ {pct} (p = {self.p_value:.3f})"
        more = (
            "a random check cannot show it; screen the rest"
            if self.more_to_stop is None
            else f"stop after {self.more_to_stop} more with no include"
        )
        return f"{est}random check {self.sample}/{self.pool}: {more}"

    def _decay_message(self, pct: str) -> str:
        low = "" if self.recall_low is None else f"recall ≳ {self.recall_low:.0%} · "
        if self.phase == "safe":
            return f"{low}safe to stop for {pct} recall: the random check found no include"
        if self.phase == "check":
            if self.sample_found:
                return (
                    "the random check found an include: the ranking missed some — cancel the"
                    " check and screen on by ranking"
                )
            return (
                f"{low}random check {self.sample}/{self.check_size}: stop after"
                f" {self.more_to_stop} more with no include"
            )
        if self.ready:
            return f"{low}the bound holds: time for a random check of {self.check_size} records"
        if self.more_to_stop is None:
            return f"{low}screen on: the bound cannot reach {pct} before the end"
        ranked = self.more_to_stop - self.check_size
        return (
            f"{low}stop after {self.more_to_stop} more with no include ({ranked} ranked, then"
            f" a random check of {self.check_size})"
        )

    def _switch_message(self, pct: str) -> str:
        low = "" if self.recall_low is None else f"recall ≳ {self.recall_low:.0%} · "
        if self.more_to_stop is None:
            return f"{low}screen on: the bound cannot reach {pct} before the end"
        if self.phase == "second":
            if self.ready:
                return (
                    f"{low}the second ranking ran dry: time for a random check of"
                    f" {self.check_size} records"
                )
            return (
                f"{low}second ranking: stop after {self.more_to_stop} more with no include"
                f" ({self.more_to_stop - self.check_size} ranked, then a random check of"
                f" {self.check_size})"
            )
        ranked = self.more_to_stop - self.check_size - MIN_SWITCH
        return (
            f"{low}stop after ≥ {self.more_to_stop} more with no include ({ranked} ranked,"
            f" {MIN_SWITCH} from a second ranking, then a random check of {self.check_size})"
        )

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "message": self.message}


def upper_rate(k: int, n: int, level: float = 0.95) -> float:
    """One-sided exact upper bound of a proportion k/n."""
    if n == 0:
        return 1.0
    return 1.0 if k >= n else float(beta.ppf(level, k + 1, n - k))


def records_to_stop(
    pool: int, r_ranked: int, sample_labels: Sequence[int], target: float, alpha: float
) -> int | None:
    """How many more random draws, all excludes, would reject H0 (None: not even the whole
    pool would)."""
    n, k = len(sample_labels), int(sum(sample_labels))
    big_k = math.floor((r_ranked + k) / target - r_ranked) + 1
    if big_k > pool:
        return 0 if pool == n else None
    lo, hi = n, pool  # find the least draws m with cdf(k; pool, K, m) < alpha
    if hypergeom.cdf(k, pool, big_k, hi) >= alpha:
        return None
    while lo < hi:
        mid = (lo + hi) // 2
        if hypergeom.cdf(k, pool, big_k, mid) < alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo - n


def advise(
    ranked_labels: Sequence[int],
    total: int,
    rule: StoppingRule,
    *,
    sample_labels: Sequence[int] | None = None,
    pool: int = 0,
    window: int = RECENT_WINDOW,
) -> StoppingAdvice:
    """Stopping advice from the labels (1 include/maybe, 0 exclude) in the order screened.

    `ranked_labels`: decisions of the ranked phase; `sample_labels` (with `pool`, the records
    unscreened when the check began): decisions on the random sample, in draw order, or None
    before the check."""
    ranked = [int(y) for y in ranked_labels]
    found_ranked = sum(ranked)
    run = 0
    for y in reversed(ranked):
        if y:
            break
        run += 1
    common: dict[str, Any] = {
        "total": total,
        "target": rule.target,
        "alpha": rule.alpha,
        "rule": rule.name,
    }
    run_needed = rule.run_length(total)
    if rule.name == "decay" or (rule.name == "switch" and sample_labels is not None):
        return _advise_decay(ranked, total, rule, sample_labels, pool, common)
    if rule.name == "switch":
        return _advise_switch(ranked, total, rule, common)
    if sample_labels is None:
        screened = len(ranked)
        if screened >= total:
            return StoppingAdvice(
                "done", screened=screened, found=found_ranked, run=run, run_needed=run_needed,
                recall=1.0, recall_low=1.0, recall_high=1.0, **common,
            )  # fmt: skip
        low = None
        window = rule.window if rule.name == "rate" else window
        if found_ranked and screened >= min(MIN_WINDOW, total):
            recent = ranked[-window:]
            rate = upper_rate(sum(recent), len(recent), rule.level)
            low = found_ranked / (found_ranked + rate * (total - screened))
        if rule.name == "rate":
            more = rate_more(ranked, total, rule.target, window, rule.level)
            return StoppingAdvice(
                "safe" if more == 0 else "ranking", screened=screened, found=found_ranked,
                run=run, run_needed=run_needed, recall=None, recall_low=low, recall_high=None,
                more_to_stop=more, **common,
            )  # fmt: skip
        recent_run = ranked[-run_needed:]
        ready = len(ranked) >= run_needed and sum(recent_run) <= allowed_in_window(
            run_needed, found_ranked, screened, rule.drop
        )
        return StoppingAdvice(
            "ranking", screened=screened, found=found_ranked, run=run, run_needed=run_needed,
            recall=None, recall_low=low, recall_high=None, ready=ready, **common,
        )  # fmt: skip
    sample = [int(y) for y in sample_labels]
    found = found_ranked + sum(sample)
    screened = len(ranked) + len(sample)
    est, low, high = recall_interval(found_ranked, pool, sample) if sample else (None, None, None)
    p = hypergeom_p(pool, found_ranked, sample, rule.target) if sample else 1.0
    if len(sample) >= pool:
        phase = "done"
    elif p < rule.alpha:
        phase = "safe"
    else:
        phase = "check"
    return StoppingAdvice(
        phase,
        screened=screened,
        found=found,
        run=run,
        run_needed=run_needed,
        recall=None if est is None or math.isnan(est) else est,
        recall_low=low,
        recall_high=high,
        sample=len(sample),
        sample_found=sum(sample),
        pool=pool,
        p_value=p,
        more_to_stop=0
        if phase != "check"
        else records_to_stop(pool, found_ranked, sample, rule.target, rule.alpha),
        **common,
    )


def _advise_decay(
    ranked: list[int],
    total: int,
    rule: StoppingRule,
    sample_labels: Sequence[int] | None,
    pool: int,
    common: dict[str, Any],
) -> StoppingAdvice:
    """`advise` under the `decay` rule."""
    found, screened = sum(ranked), len(ranked)
    run = next((i for i, y in enumerate(reversed(ranked)) if y), screened)
    kw: dict[str, Any] = {"run": run, "run_needed": 0, **common}
    low = decay_recall_low(ranked, total, rule.decay_share, rule.decay_level)
    start = switch_start(ranked, total, rule.target) if rule.name == "switch" else None
    if start is not None:  # the switch rule's check: the second ranking's bound
        low = switch_recall_low(ranked, start, total, rule.decay_level)
    if sample_labels is None:
        if screened >= total:
            return StoppingAdvice(
                "done", screened=screened, found=found, recall=1.0, recall_low=1.0,
                recall_high=1.0, **kw,
            )  # fmt: skip
        more = decay_more(ranked, total, rule.target, rule.decay_share, rule.decay_level)
        size = 0
        if more is not None:
            at = screened + more
            size = check_size(found, at, total - at, rule.check_beta)
        return StoppingAdvice(
            "ranking", screened=screened, found=found, recall=None, recall_low=low,
            recall_high=None, more_to_stop=None if more is None else more + size,
            ready=more == 0, check_size=size, **kw,
        )  # fmt: skip
    sample = [int(y) for y in sample_labels]
    size = check_size(found, screened, pool, rule.check_beta)
    est, _, s_high = recall_interval(found, pool, sample) if sample else (None, None, None)
    if sum(sample) == 0 and len(sample) >= size:
        phase = "safe" if len(sample) < pool else "done"
    else:
        phase = "check"
    return StoppingAdvice(
        phase, screened=screened + len(sample), found=found + sum(sample),
        recall=None if est is None or math.isnan(est) else est,
        recall_low=low, recall_high=s_high, sample=len(sample),
        sample_found=sum(sample), pool=pool,
        more_to_stop=None if sum(sample) else max(size - len(sample), 0),
        check_size=size, **kw,
    )  # fmt: skip


def _advise_switch(
    ranked: list[int], total: int, rule: StoppingRule, common: dict[str, Any]
) -> StoppingAdvice:
    """`advise` under the `switch` rule before its random check: ranking until the decay
    bound holds, then the second model's ranking until its own bound holds (the check is
    `decay`'s: see `_advise_decay`)."""
    found, screened = sum(ranked), len(ranked)
    run = next((i for i, y in enumerate(reversed(ranked)) if y), screened)
    kw: dict[str, Any] = {"run": run, "run_needed": 0, **common}
    if screened >= total:
        return StoppingAdvice(
            "done", screened=screened, found=found, recall=1.0, recall_low=1.0,
            recall_high=1.0, **kw,
        )  # fmt: skip
    start = switch_start(ranked, total, rule.target)
    if start is None:  # phase 1: the decay bound, then at least MIN_SWITCH second-ranked
        more = decay_more(ranked, total, rule.target, rule.decay_share, rule.decay_level)
        low = decay_recall_low(ranked, total, rule.decay_share, rule.decay_level)
        phase, extra = "ranking", MIN_SWITCH
    else:
        more = switch_more(ranked, start, total, rule.target, rule.decay_level)
        low = switch_recall_low(ranked, start, total, rule.decay_level)
        phase, extra = "second", 0
    size = 0
    if more is not None:
        at = min(total, screened + more + extra)
        size = check_size(found, at, total - at, rule.check_beta)
    return StoppingAdvice(
        phase, screened=screened, found=found, recall=None, recall_low=low,
        recall_high=None, more_to_stop=None if more is None else more + extra + size,
        ready=phase == "second" and more == 0, check_size=size, **kw,
    )  # fmt: skip
