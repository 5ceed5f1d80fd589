"""At 80 columns the history table has no room left for the title, so a new reviewer could
not tell which record a row was before changing it: the line under the table names the
highlighted row's record in full (title, reason, note) and follows the cursor."""

from __future__ import annotations

from pathlib import Path

from review.db import Store
from tests.tui.pilot import press, settle
from tests.tui.reviewed import decided
from tui.app import LitsiftApp
from tui.screens.history import HistoryScreen

TITLES = ["Social impact bonds for rough sleepers", "Payment by results in probation"]


async def test_the_highlighted_rows_record_is_named_in_full(store: Store, tmp_path: Path) -> None:
    decided(store, tmp_path, TITLES, {1: "include", 2: "exclude"}, {2: "not [b]OBC[/b]"})
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "h")
        assert isinstance(app.screen, HistoryScreen)
        detail = app.screen.query_one("#detail")
        shown = str(detail.render())
        assert TITLES[1] in shown and "not [b]OBC[/b]" in shown  # newest first; data as typed
        await press(app, pilot, "down")
        assert TITLES[0] in str(detail.render())
