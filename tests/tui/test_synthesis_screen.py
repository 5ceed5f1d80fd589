"""The synthesis screen from home, driven by Pilot on the demo review: the count table,
changing the fields, Enter on a cell listing its studies, and a remapped key."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Select, Static

from review import settings
from review.service import open_review
from tests.extraction.demo_review import agreed_values, build_demo
from tests.tui.test_home_history import settle, wait_for
from tui.app import LitsiftApp
from tui.screens.home import HomeScreen
from tui.screens.synthesis import SynthesisScreen


async def test_synthesis_screen_lists_a_cells_studies(tmp_path: Path) -> None:
    demo = build_demo(tmp_path)
    store = open_review(demo.db, create=False)
    settings.save(store, settings.Keymap(keys={"home.synthesis": "y"}))  # remappable
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("y")
        await wait_for(app, pilot, lambda: isinstance(app.screen, SynthesisScreen))
        screen = app.screen
        assert isinstance(screen, SynthesisScreen)
        await wait_for(app, pilot, lambda: screen.query_one(DataTable).row_count > 0)
        assert screen.selected() == ("country", "policy_area")
        table = screen.query_one(DataTable)
        countries = {c for v in agreed_values().values() for c in v["country"]}
        assert table.row_count == len(countries)
        # the columns: row label, the seven policy areas, the total
        assert len(table.columns) == 1 + 7 + 1
        # United States is the last country by name; homelessness the third area
        table.move_cursor(row=table.row_count - 1, column=3)
        await pilot.press("enter")
        await pilot.pause()
        text = str(screen.query_one("#cell-studies", Static).render())
        assert "United States × homelessness: 2 studies" in text
        assert "Housing First under a pay-for-success contract" in text
        assert "Pay for success and chronic homelessness" in text
        table.move_cursor(row=0, column=2)  # Cambodia × employment: a gap
        await pilot.press("enter")
        await pilot.pause()
        assert "no studies (a gap)" in str(screen.query_one("#cell-studies", Static).render())
        # other fields: rows = evaluation design, no columns
        screen.query_one("#rows", Select).value = "evaluation_design"
        screen.query_one("#cols", Select).clear()
        await pilot.pause()
        assert table.row_count == 5 and len(table.columns) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    store.dispose()
