"""The `decay` stopping rule: its bound, its check, the advice built on them, and edge cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.recall import advise
from screening.recall_history import decay_history
from screening.stopping import RULE_NAMES, StoppingRule, evaluate_stopping
from screening.stopping_decay import (
    MIN_CHECK,
    check_size,
    decay_more,
    decay_ok,
    decay_recall_low,
    decay_stop,
)
from screening.stopping_rules import rate_stop

labels = st.lists(st.integers(0, 1), min_size=0, max_size=400)


def good_ranking(n: int = 1000, k: int = 40, seed: int = 0) -> list[int]:
    """Includes front-loaded: the rate decays with rank, as a working ranking's does."""
    rng = np.random.default_rng(seed)
    score = np.concatenate([rng.exponential(1.0, k), rng.exponential(50.0, n - k)])
    y = np.array([1] * k + [0] * (n - k))
    return [int(v) for v in y[np.argsort(score)]]


def test_decay_bound_stops_a_good_ranking_early_and_a_flat_one_late() -> None:
    good = good_ranking()
    at = int(np.flatnonzero(decay_ok(good))[0]) + 1
    assert sum(good[:at]) >= 0.95 * 40
    # the flat-rate bound waits for a run of excludes ~0.7 × the rest
    flat_bound = rate_stop(good, level=0.5)
    assert flat_bound is not None and at < flat_bound - 100
    rng = np.random.default_rng(1)
    flat = [int(v) for v in rng.permutation([1] * 40 + [0] * 960)]
    ok = decay_ok(flat)
    assert not ok.any() or int(np.flatnonzero(ok)[0]) > 900


def test_decay_bound_needs_evidence() -> None:
    assert not decay_ok([1] + [0] * 30).any()  # fewer records than the smallest window
    assert not decay_ok([0] * 500).any()  # nothing found: nothing to bound
    assert decay_recall_low([0] * 100, 500) is None
    low = decay_recall_low([1] * 10 + [0] * 90, 500)
    assert low is not None and 0 < low < 1


def test_check_size_detects_a_chance_level_rest() -> None:
    m = check_size(found=20, screened=200, unscreened=800)
    assert (1 - 0.1) ** m <= 0.05 < (1 - 0.1) ** (m - 1)
    assert check_size(100, 200, 800) == MIN_CHECK  # a rich rest is found at once
    assert check_size(5, 200, 3) == 3  # never more than is left
    assert check_size(0, 200, 300) == 300  # nothing found: no rate to test against
    assert check_size(5, 200, 0) == 0


@settings(max_examples=150, deadline=None)
@given(labels, st.integers(0, 2**16))
def test_decay_stop_is_consistent_on_any_order(y: list[int], seed: int) -> None:
    """Any order — all includes found early, a run ending at the last record, a tiny review:
    the stop lies within the review and counts only includes it screened."""
    screened, found = decay_stop(y, np.random.default_rng(seed))
    assert 0 <= found <= sum(y) and found <= screened <= len(y)
    if screened == len(y):
        assert found == sum(y)


@settings(max_examples=100, deadline=None)
@given(labels.filter(lambda y: sum(y) > 0), st.integers(0, 600))
def test_decay_more_agrees_with_the_bound(y: list[int], extra: int) -> None:
    """`decay_more` says how many more excludes make the bound hold: exactly that many."""
    total = len(y) + extra
    if extra == 0:
        assert decay_more(y, total) == 0  # everything screened
        return
    more = decay_more(y, total)
    ok = decay_ok(y + [0] * extra)  # no include comes later
    if more is None:
        assert not ok[len(y) - 1 :].any()
    else:
        assert ok[len(y) - 1 + more]
        assert not ok[len(y) - 1 : len(y) - 1 + more].any()


@pytest.mark.parametrize("name", [n for n in RULE_NAMES if n not in ("none", "switch")])
@pytest.mark.parametrize(
    "order",
    [
        [1] + [0] * 199,  # all includes found at once; the run of excludes ends at the end
        [1, 1] + [0] * 48 + [1],  # the last record is an include
        [1, 0, 1],  # a tiny review
        [1],
        [1] * 30,  # every record an include
    ],
)
def test_every_rule_handles_edge_orders(name: str, order: list[int]) -> None:
    """No rule may crash (the old IndexError at the end of the order) or claim a recall it
    did not reach."""
    res = evaluate_stopping(StoppingRule(name), order, np.random.default_rng(0))
    assert res is not None and 1 <= res.screened <= len(order)
    if not res.fired:
        assert res.screened == len(order) and res.recall == 1.0
    assert 0 < res.recall <= 1


def test_evaluate_stopping_decay_on_a_good_ranking() -> None:
    res = evaluate_stopping(StoppingRule.parse("decay"), good_ranking(), np.random.default_rng(3))
    assert res is not None and res.rule == "decay" and res.fired
    assert res.recall >= 0.95 and res.work_saved > 0.3
    assert StoppingRule.parse("decay:0.9").target == 0.9


def test_decay_advice_ranking_then_check() -> None:
    rule = StoppingRule.parse("decay")
    ranked = good_ranking()[:150]
    a = advise(ranked, 1000, rule)
    assert a.rule == "decay" and a.phase == "ranking" and a.more_to_stop is not None
    more = decay_more(ranked, 1000)
    assert more is not None and a.more_to_stop == more + a.check_size
    assert f"stop after {a.more_to_stop} more" in a.message
    ranked += [0] * more
    b = advise(ranked, 1000, rule)
    assert b.ready and b.more_to_stop == b.check_size and "random check of" in b.message
    pool = 1000 - len(ranked)
    m = check_size(sum(ranked), len(ranked), pool)
    c = advise(ranked, 1000, rule, sample_labels=[0] * (m - 1), pool=pool)
    assert (c.phase, c.more_to_stop, c.check_size) == ("check", 1, m)
    d = advise(ranked, 1000, rule, sample_labels=[0] * m, pool=pool)
    assert d.phase == "safe" and "safe to stop" in d.message
    e = advise(ranked, 1000, rule, sample_labels=[0, 1], pool=pool)
    assert e.phase == "check" and e.more_to_stop is None and "found an include" in e.message
    assert e.found == sum(ranked) + 1


def test_decay_advice_at_the_edges() -> None:
    rule = StoppingRule.parse("decay")
    done = advise([1, 0, 0], 3, rule)
    assert done.phase == "done" and done.recall == 1.0
    tiny = advise([1, 0], 3, rule)  # too small a review for the bound: screen the rest
    assert tiny.phase == "ranking" and tiny.more_to_stop is None
    nothing = advise([0] * 80, 500, rule)
    assert nothing.more_to_stop is None and "cannot reach" in nothing.message
    assert math.isclose(advise([1] * 60, 60, rule).recall or 0, 1.0)


def test_decay_history_ends_at_the_advice_estimate() -> None:
    rule = StoppingRule.parse("decay")
    ranked = good_ranking()[:300]
    hist = decay_history(ranked, 1000, rule, points=10)
    assert 1 < len(hist) <= 10
    assert hist[-1] == pytest.approx(advise(ranked, 1000, rule).recall_low)
    assert decay_history([0] * 30, 100, rule) == []
