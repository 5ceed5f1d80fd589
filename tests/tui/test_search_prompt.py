"""The search box says which keys move to the results and close it, like every prompt, and
counts "1 record"."""

from __future__ import annotations

from pathlib import Path

from review.db import Store
from tests.tui.pilot import press, settle
from tests.tui.test_prompts_and_keys import _loaded
from tui.app import LitsiftApp
from tui.screens.search import SearchScreen


async def test_search_says_its_keys_and_counts_in_words(store: Store, tmp_path: Path) -> None:
    app = LitsiftApp(_loaded(store, tmp_path), "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "slash")
        assert isinstance(app.screen, SearchScreen)
        keys = str(app.screen.query_one("#keys").render())
        assert "Enter" in keys and "Esc" in keys
        await press(app, pilot, *"#2")
        assert str(app.screen.query_one("#count").render()) == "1 record"
