"""`?` lists the keys of the screen on show, its own first: on an 80x24 terminal every key of
the screening screen is inside the panel (Textual's own help panel put the record's scrolling
keys first, and the screen's keys ran off its bottom, where the keyboard cannot scroll)."""

from __future__ import annotations

from review.db import Store
from tests.tui.pilot import press, settle
from tests.tui.test_screening_screen import loaded  # noqa: F401 - the fixture
from tui.app import LitsiftApp
from tui.screens.screening import ScreeningScreen
from tui.widgets.keys_panel import KeysPanel


async def test_the_screens_own_keys_fit_an_80x24_key_panel(loaded: Store) -> None:  # noqa: F811
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        await press(app, pilot, "question_mark")
        panel = screen.query_one(KeysPanel)
        rows = panel.rows()
        described = [description for _, description in rows]
        own = [
            b.description
            for b in ScreeningScreen.BINDINGS
            if screen.check_action(b.action, ()) and b.description != "Back"  # type: ignore[union-attr]
        ]
        for d in own:
            assert d in described and described.index(d) < panel.size.height, (d, described)
        assert ("n", "Note") in rows and ("x", "Random check") in rows
        await press(app, pilot, "question_mark")
        assert not screen.query(KeysPanel)
