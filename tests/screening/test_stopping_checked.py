"""The target method and the rate bound with a random check, on hand-made orders."""

from __future__ import annotations

import numpy as np

from screening.stopping_rules import checked_rate_stop, rate_stop, target_stop


def test_target_method_stops_when_every_target_is_ranked() -> None:
    y = [1] * 20 + [0] * 480  # a perfect ranking
    screened, found = target_stop(y, np.random.default_rng(0), target_size=5)
    # the five targets are among the first 20 ranked: the stop comes at the last of them, and
    # every record ranked before it is an include; sampled excludes ranked later add to the cost
    assert 5 <= found <= 20 and screened >= found
    assert screened < 500
    assert target_stop(y, np.random.default_rng(0), target_size=21) == (
        500,
        20,
    )  # fewer includes than T


def test_check_catches_an_include_the_bound_would_miss() -> None:
    y = [1] * 10 + [0] * 300 + [1] + [0] * 9  # the last include hides at the end
    bound_only = rate_stop(y, window=200, level=0.5)
    assert bound_only is not None and sum(y[:bound_only]) == 10  # stops under full recall
    screened, found = checked_rate_stop(
        y, np.random.default_rng(1), check_min=30, check_share=1.0, window=200, level=0.5
    )
    assert found == 11 and screened <= len(y)  # the check screened the rest and found it


def test_clean_check_stops_and_counts_the_checked_records() -> None:
    y = [1] * 10 + [0] * 490
    stop = rate_stop(y, window=200, level=0.5)
    assert stop is not None
    screened, found = checked_rate_stop(
        y, np.random.default_rng(2), check_min=30, check_share=0.0, window=200, level=0.5
    )
    assert (screened, found) == (stop + 30, 10)
