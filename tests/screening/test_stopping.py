"""Stopping rules: the hypergeometric test by hand, the heuristic, and the recall interval."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import hypergeom

from screening.stopping import (
    StoppingRule,
    consecutive_stop,
    evaluate_stopping,
    hypergeom_p,
    recall_interval,
    switch_point,
)


def test_hypergeom_p_by_hand() -> None:
    # 20 includes found by ranking; pool of 800; sample of 300 finds none.
    # H0 recall < 95%: the pool held at least floor(20/0.95 - 20) + 1 = 2 includes
    p = hypergeom_p(800, 20, [0] * 300, 0.95)
    assert p == pytest.approx(hypergeom.cdf(0, 800, 2, 300))
    assert p == pytest.approx((500 / 800) * (499 / 799))


def test_hypergeom_p_counts_sample_includes() -> None:
    p = hypergeom_p(500, 40, [0, 1] + [0] * 198, 0.95)
    # r = 41, K = floor(41 / 0.95 - 40) + 1 = 4
    assert p == pytest.approx(hypergeom.cdf(1, 500, 4, 200))


def test_consecutive_stop() -> None:
    assert consecutive_stop([1, 0, 0, 1, 0, 0, 0], 3) == 7
    assert consecutive_stop([1, 0, 0, 1], 3) is None


def test_rule_parse() -> None:
    assert StoppingRule.parse("consecutive:40").run_length(1000) == 40
    assert StoppingRule.parse("consecutive").run_length(1000) == 50
    assert StoppingRule.parse("consecutive").run_length(4000) == 200
    assert StoppingRule.parse("hypergeom:0.9").target == 0.9


def test_hypergeom_stops_with_target_recall_on_synthetic_orders() -> None:
    """A ranked order with a long tail of includes: the rule must reach 95% recall in at
    least 95% of runs, whatever the sample."""
    rule = StoppingRule("hypergeom", consecutive=30)
    ok = []
    base = np.random.default_rng(0)
    for s in range(100):
        head = (base.random(300) < 0.3).astype(int)
        tail = (base.random(1700) < 0.004).astype(int)  # includes the ranking missed
        order = [*head.tolist(), *([0] * 30), *tail.tolist()]
        res = evaluate_stopping(rule, order, np.random.default_rng(s))
        assert res is not None
        ok.append(res.recall >= 0.95)
    assert np.mean(ok) >= 0.95


def test_consecutive_rule_reports_true_recall() -> None:
    order = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0]
    res = evaluate_stopping(
        StoppingRule("consecutive", consecutive=3), order, np.random.default_rng()
    )
    assert res is not None and res.screened == 5 and res.recall == pytest.approx(2 / 3)
    assert res.work_saved == pytest.approx(0.5)


def test_recall_interval_contains_the_estimate() -> None:
    est, lo, hi = recall_interval(90, 1000, [0] * 199 + [1])
    assert lo <= est <= hi <= 1
    assert est == pytest.approx(91 / (91 + 4))  # 1 in 200 of 1000: 5 in the pool, 4 unseen
    est0, lo0, hi0 = recall_interval(50, 1000, [0] * 500)
    assert est0 == hi0 == 1.0 and lo0 < 1.0


def test_hypergeom_when_the_run_ends_at_the_last_record() -> None:
    """The run of excludes completes exactly at the last record: nothing is left to sample,
    so the rule did not fire and everything was screened (this used to raise IndexError)."""
    order = [1, 0, 1, 1] + [0] * 50
    res = evaluate_stopping(StoppingRule("hypergeom"), order, np.random.default_rng(0))
    assert res is not None
    assert (res.fired, res.screened, res.recall) == (False, len(order), 1.0)
    assert res.switched_at == len(order)


def test_switch_point_is_the_run_of_excludes_at_low_prevalence() -> None:
    order = [1, 0, 0, 1, 0, 0, 0, 0, 1]
    assert switch_point(order, 3) == consecutive_stop(order, 3) == 7


def test_switch_point_fires_when_the_yield_drops_at_high_prevalence() -> None:
    # 40 includes early, then one include every 40 records: never 50 excludes in a row, but
    # 1 include in 50 is a tenth of the yield so far
    head = [1, 0] * 40
    tail = ([0] * 39 + [1]) * 12
    order = head + tail
    assert consecutive_stop(order, 50) is None
    at = switch_point(order, 50)
    assert at is not None and len(head) < at < len(order)
    found, seen = sum(order[:at]), at
    assert sum(order[at - 50 : at]) <= 50 * 0.1 * found / seen


def test_hypergeom_fires_and_keeps_recall_at_high_prevalence() -> None:
    base = np.random.default_rng(1)
    rule = StoppingRule("hypergeom")
    results = []
    for s in range(40):
        head = (base.random(300) < 0.45).astype(int).tolist()  # 27% prevalence overall
        tail = (base.random(200) < 0.02).astype(int).tolist()
        res = evaluate_stopping(rule, head + tail, np.random.default_rng(s))
        assert res is not None
        results.append(res)
    assert sum(r.fired for r in results) >= 30
    assert np.mean([r.recall >= 0.95 for r in results]) >= 0.95


def test_rate_rule_and_its_advice_agree() -> None:
    """The rate bound's stop in simulation is where the live advice says 'safe', and the
    advice's 'more to stop' counts down to it while only excludes come."""
    from screening.recall import advise
    from screening.stopping_rules import rate_more, rate_stop

    rng = np.random.default_rng(3)
    order = (rng.random(300) < 0.3).astype(int).tolist() + [0] * 1500
    rule = StoppingRule.parse("rate")
    at = rate_stop(order)
    assert at is not None and 300 < at < len(order)
    res = evaluate_stopping(rule, order, rng)
    assert res is not None and res.fired and res.screened == at and res.recall == 1.0
    more = rate_more(order[:300], len(order))
    assert more == at - 300
    before = advise(order[: at - 1], len(order), rule)
    assert before.phase == "ranking" and before.more_to_stop == 1
    assert "1 more" in before.message
    now = advise(order[:at], len(order), rule)
    assert now.phase == "safe" and now.more_to_stop == 0


def test_rate_rule_never_fires_without_evidence() -> None:
    from screening.stopping_rules import rate_stop

    assert rate_stop([1] + [0] * 10) is None  # too few screened
    assert rate_stop([0] * 500) is None  # nothing found: no recall to bound
