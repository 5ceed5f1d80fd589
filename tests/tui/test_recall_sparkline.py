"""The recall estimate over time: the history computed by the service layer, and the sparkline
on the screening screen (Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import beta

from review import service
from review.db import Store
from review.importing import import_file
from screening.recall_history import estimate_history, recall_estimates
from tests.ris import numbered_ris
from tui.app import LitsiftApp
from tui.widgets.recall_sparkline import RecallSparkline

RECORD = "TY  - JOUR\nID  - r{n}\nTI  - Record number {n}\nAB  - Text {n}.\nER  - \n\n"


def test_history_is_the_conditional_bound_at_each_point() -> None:
    labels = [1] * 5 + [0] * 95  # five includes first, then a long run of excludes
    hist = estimate_history(labels, total=200, window=50, points=6)
    # points at 50, 60, ..., 100 decisions: the last one by hand
    ub = beta.ppf(0.95, 1, 50)  # no include among the last 50
    assert hist[-1] == pytest.approx(5 / (5 + ub * 100))
    assert len(hist) == 6 and hist == sorted(hist)  # the bound rises as the run grows
    assert estimate_history([0] * 30, total=100) == []  # too few decisions, no include


@pytest.fixture
def screened(store: Store, tmp_path: Path) -> Store:
    import_file(store, numbered_ris(tmp_path / "eighty.ris", RECORD, 80))
    for rid in range(1, 61):  # includes early, then excludes: the estimate climbs
        label = "include" if rid in (1, 3, 7) else "exclude"
        service.record_decision(store, rid, label, reviewer="ana")
    return store


async def test_screen_shows_the_estimate_over_time(screened: Store) -> None:
    expected = recall_estimates(screened, reviewer="ana")
    assert len(expected) >= 2
    app = LitsiftApp(screened, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        spark = app.screen.query_one(RecallSparkline)
        assert spark.display and list(spark.data or []) == expected
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        now = list(spark.data or [])
        assert now == recall_estimates(screened, reviewer="ana") and now != expected
