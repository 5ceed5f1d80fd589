"""Escape in the history screen's filter leaves the filter, not the screen: the first Escape
clears the filter (and shows every decision again) and hands the keys back to the table; the
next Escape leaves the screen, as everywhere else."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from review.db import Store
from tests.tui.pilot import press, settle
from tests.tui.reviewed import decided
from tui.app import LitsiftApp
from tui.screens.history import HistoryScreen
from tui.screens.home import HomeScreen


async def test_escape_in_the_filter_clears_it_then_leaves(store: Store, tmp_path: Path) -> None:
    decided(store, tmp_path, ["One", "Two", "Three"], {1: "include", 2: "exclude", 3: "exclude"})
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "h")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        await press(app, pilot, "slash", *"exclude", "enter")
        assert [r.decision.record_id for r in screen.rows] == [3, 2]
        await press(app, pilot, "slash", *" more")  # typing, not yet applied
        await press(app, pilot, "escape")
        assert app.screen is screen  # still here
        assert screen.query_one("#filter", Input).value == ""
        assert screen.query_one(DataTable).has_focus
        assert [r.decision.record_id for r in screen.rows] == [3, 2, 1]  # the filter is gone
        await press(app, pilot, "escape")
        assert isinstance(app.screen, HomeScreen)


async def test_escape_in_an_empty_filter_only_leaves_the_filter(
    store: Store, tmp_path: Path
) -> None:
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "h")
        screen = app.screen
        await press(app, pilot, "slash", "escape")
        assert app.screen is screen and screen.query_one(DataTable).has_focus
        await press(app, pilot, "q")
        assert isinstance(app.screen, HomeScreen)
