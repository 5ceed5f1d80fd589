"""The `switch` stopping rule's pieces: the second view, its simulated phase, its signals."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.errors import ScreeningError
from screening.stopping import StoppingRule, evaluate_stopping
from screening.stopping_switch import (
    MIN_SWITCH,
    alt_features,
    alt_scores,
    alt_sequence,
    run_ok,
    switch_ok,
    switch_stop,
)


def toy_corpus(seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Two kinds of includes (two vocabularies) among excludes about other things."""
    rng = np.random.default_rng(seed)
    topics = {
        "a": "statin cholesterol lipid trial",
        "b": "exercise rehabilitation physiotherapy trial",
        "x": "astronomy telescope galaxy survey",
        "y": "soil erosion farming drought",
    }
    texts, labels = [], []
    for kind, n in (("a", 20), ("b", 10), ("x", 150), ("y", 120)):
        for i in range(n):
            words = topics[kind].split()
            texts.append(" ".join(rng.choice(words, 12)) + f" record{i}")
            labels.append(int(kind in "ab"))
    return texts, np.array(labels)


def test_second_view_finds_the_pocket_the_first_phase_left() -> None:
    texts, y = toy_corpus()
    X = alt_features(texts)
    assert X.shape[0] == len(texts)
    # phase 1 screened all "a" includes, one "b" include and some excludes
    screened = [*range(20), 20, *range(30, 90)]
    seq = alt_sequence(X, y, screened, max_run=30, step=5)
    assert sorted(seq) == sorted(set(range(len(y))) - set(screened))  # every row, once
    # the nine other "b" includes come first from the second model
    assert sum(y[seq[:9]]) == 9
    scores = alt_scores(X, screened, y[screened], seq, "nb")
    assert scores.shape == (len(seq),)


def test_refit_once_keeps_one_ranking() -> None:
    texts, y = toy_corpus(1)
    X = alt_features(texts)
    screened = [*range(25), *range(30, 100)]
    once = alt_sequence(X, y, screened, max_run=30, step=len(y))
    refit = alt_sequence(X, y, screened, max_run=30, step=5)
    assert sorted(once) == sorted(refit)


def test_switch_bound_needs_records_from_the_second_ranking() -> None:
    y = [1] * 40 + [0] * 960
    ok = switch_ok(y, start=200)
    assert not ok[:200].any()  # nothing before the switch
    first = int(np.flatnonzero(ok)[0]) + 1
    assert first == 200 + MIN_SWITCH  # 40 found, none in 50 records of the second ranking
    # an include among the second ranking's records holds the signal back
    y2 = list(y)
    y2[230] = 1
    assert int(np.flatnonzero(switch_ok(y2, start=200))[0]) + 1 > first


def test_switch_bound_waits_to_the_end_when_few_were_found() -> None:
    y = [1] * 5 + [0] * 995
    ok = switch_ok(y, start=100)
    # five found: 95% recall means none missed; the rest must shrink to ~1/4 of the records
    # served since the switch (upper rate ≈ 1.05 / window at the 65% level)
    assert int(np.flatnonzero(ok)[0]) + 1 > 800


def test_run_signal_counts_from_the_switch() -> None:
    y = [0] * 290 + [1] + [0] * 709
    ok = run_ok(y, start=250, run=50)
    assert int(np.flatnonzero(ok)[0]) + 1 == 341  # the include at 291 restarts the run
    assert not ok[:340].any()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 1), min_size=1, max_size=300), st.integers(0, 300))
def test_signals_never_fire_before_the_switch(y: list[int], start: int) -> None:
    start = min(start, len(y))
    for ok in (switch_ok(y, start), run_ok(y, start, 20)):
        assert len(ok) == len(y)
        assert not ok[:start].any()


@pytest.mark.parametrize(
    "order",
    [[1] + [0] * 199, [1, 1] + [0] * 48 + [1], [1, 0, 1], [1], [1] * 30, [1] * 40 + [0] * 300],
)
def test_switch_stop_handles_edge_orders(order: list[int]) -> None:
    """No crash at the ends of an order, and never more includes than exist."""
    n = len(order)
    X = sp.random(n, 40, density=0.3, random_state=0, format="csr") + sp.eye(n, 40, format="csr")
    at, found = switch_stop(X.tocsr(), np.array(order), list(range(n)), np.random.default_rng(0))
    assert 1 <= at <= n and 0 < found <= sum(order)
    if at == n:
        assert found == sum(order)


def test_evaluate_stopping_asks_for_the_features() -> None:
    with pytest.raises(ScreeningError, match="features"):
        evaluate_stopping(StoppingRule.parse("switch"), [1, 0, 0], np.random.default_rng(0))
