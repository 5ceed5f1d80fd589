"""Stopping advice in a live review: the phases, the numbers by hand, the random check."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review import service
from review.db import Store
from review.importing import import_file
from screening import service as screening_service
from screening.errors import ScreeningError
from screening.recall import advise, records_to_stop, upper_rate
from screening.stopping import StoppingRule, hypergeom_p
from tests.ris import numbered_ris

RULE = StoppingRule()


def test_ranking_phase_counts_the_run_and_bounds_recall_by_the_recent_rate() -> None:
    labels = [1] * 10 + [0] * 190 + [1] + [0] * 30  # 231 screened of 1000
    a = advise(labels, 1000, RULE)
    assert a.phase == "ranking"
    assert (a.run, a.run_needed, a.found, a.screened) == (30, 50, 11, 231)
    # last 200 screened hold 1 include: the upper 95% rate bound times 769 unscreened
    rate = upper_rate(1, 200)
    assert a.recall_low == pytest.approx(11 / (11 + rate * 769))
    assert "30/50 excludes in a row" in a.message


def test_upper_rate_with_no_events_is_the_exact_bound() -> None:
    assert upper_rate(0, 200) == pytest.approx(1 - 0.05 ** (1 / 200))
    assert upper_rate(3, 3) == 1.0


def test_maybe_is_not_an_exclude_and_nothing_found_means_no_estimate() -> None:
    assert advise([0] * 60, 1000, RULE).recall_low is None
    assert advise([1, 0, 0], 1000, RULE).run == 2


def test_records_to_stop_is_the_least_number_that_rejects() -> None:
    sample = [0] * 40
    m = records_to_stop(800, 20, sample, 0.95, 0.05)
    assert m is not None and m > 0
    assert hypergeom_p(800, 20, sample + [0] * m, 0.95) < 0.05
    assert hypergeom_p(800, 20, sample + [0] * (m - 1), 0.95) >= 0.05


@given(
    pool=st.integers(5, 400),
    found=st.integers(0, 60),
    drawn=st.integers(0, 5),
    hits=st.integers(0, 2),
)
def test_records_to_stop_agrees_with_the_test(pool: int, found: int, drawn: int, hits: int) -> None:
    sample = [1] * min(hits, drawn) + [0] * (drawn - min(hits, drawn))
    m = records_to_stop(pool, found, sample, 0.95, 0.05)
    if m is None:  # even the whole pool, all excludes, would not reject
        assert hypergeom_p(pool, found, sample + [0] * (pool - drawn), 0.95) >= 0.05
    elif drawn + m <= pool and m > 0:
        assert hypergeom_p(pool, found, sample + [0] * m, 0.95) < 0.05


def test_check_phase_becomes_safe_when_the_test_rejects() -> None:
    ranked = [1] * 20 + [0] * 60
    check = advise(ranked, 880, RULE, sample_labels=[0] * 100, pool=800)
    assert check.phase == "check" and check.more_to_stop and check.more_to_stop > 0
    assert "stop after" in check.message
    n = 100 + check.more_to_stop
    safe = advise(ranked, 880, RULE, sample_labels=[0] * n, pool=800)
    assert safe.phase == "safe" and safe.p_value is not None and safe.p_value < 0.05
    assert safe.recall == pytest.approx(1.0) and "safe to stop" in safe.message


def test_everything_screened_is_done() -> None:
    assert advise([1, 0, 0], 3, RULE).phase == "done"


# --- the service: a random check in a stored review ---------------------------------------

REC = "TY  - JOUR\nID  - k{n}\nTI  - Record {n}\nER  - \n\n"


@pytest.fixture
def review(store: Store, tmp_path: Path) -> Store:
    import_file(store, numbered_ris(tmp_path / "many.ris", REC, 120))
    return store


def test_random_check_serves_the_pool_in_draw_order_and_tests_it(review: Store) -> None:
    for rid in range(1, 61):  # ranked phase: 3 includes, then 57 excludes in a row
        service.record_decision(review, rid, "include" if rid <= 3 else "exclude", reviewer="ana")
    before = screening_service.stopping_advice(review, reviewer="ana")
    assert before.phase == "ranking" and before.run == 57 and before.run >= before.run_needed

    check = screening_service.start_check(review, reviewer="ana", seed=7)
    assert sorted(check.pool) == list(range(61, 121))
    for drawn, expected in enumerate(check.pool[:10], 1):
        rec = screening_service.next_record(review, reviewer="ana")
        assert rec is not None and rec["id"] == expected
        service.record_decision(review, expected, "exclude", reviewer="ana")
        advice = screening_service.stopping_advice(review, reviewer="ana")
        assert advice.sample == drawn and advice.pool == 60
        assert advice.p_value == pytest.approx(hypergeom_p(60, 3, [0] * drawn, 0.95))
    # another reviewer is not in the check
    assert screening_service.next_record(review, reviewer="ben")["id"] == 1
    # a skipped draw is passed over for now
    assert (
        screening_service.next_record(review, reviewer="ana", skip=[check.pool[10]])["id"]
        == (check.pool[11])
    )

    with pytest.raises(ScreeningError, match="already started"):
        screening_service.start_check(review, reviewer="ana")
    screening_service.cancel_check(review, reviewer="ana")
    assert screening_service.get_check(review, reviewer="ana") is None
    assert screening_service.stopping_advice(review, reviewer="ana").phase == "ranking"


def test_the_check_survives_a_restart_and_the_pool_is_fixed(review: Store) -> None:
    service.record_decision(review, 1, "include", reviewer="ana")
    first = screening_service.start_check(review, reviewer="ana", seed=1)
    again = screening_service.get_check(review, reviewer="ana")
    assert again is not None and again.pool == first.pool and 1 not in again.pool
