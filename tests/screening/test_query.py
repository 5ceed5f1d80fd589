"""Query strategies are deterministic for a seed and break ties by row."""

from __future__ import annotations

import numpy as np
import pytest

from screening.errors import ScreeningError
from screening.query import Query

POOL = np.array([3, 5, 7, 9, 11])
SCORES = np.array([0.5, 2.0, -0.1, 2.0, -3.0])


def test_max_and_ties() -> None:
    rng = np.random.default_rng(0)
    assert Query("max").order(POOL, SCORES, 3, rng).tolist() == [5, 9, 3]


def test_uncertainty_nearest_zero_first() -> None:
    rng = np.random.default_rng(0)
    assert Query("uncertainty").order(POOL, SCORES, 2, rng).tolist() == [7, 3]


def test_mixed_is_seeded_and_without_repeats() -> None:
    q = Query("mixed", exploration=0.5)
    a = q.order(POOL, SCORES, 5, np.random.default_rng(4)).tolist()
    b = q.order(POOL, SCORES, 5, np.random.default_rng(4)).tolist()
    assert a == b and sorted(a) == sorted(POOL.tolist())
    assert Query("mixed", exploration=0.0).order(
        POOL, SCORES, 5, np.random.default_rng(1)
    ).tolist() == [5, 9, 3, 7, 11]


def test_unknown_strategy() -> None:
    with pytest.raises(ScreeningError, match="unknown query"):
        Query("random")
