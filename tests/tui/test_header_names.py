"""The header names the reviewer once, in words that read naturally whatever the name: a lead
called "lead" (as in the demo's `--reviewer lead`) read "conflicts · lead lead"."""

from __future__ import annotations

import pytest
from textual.widgets import Header

from review.db import Store
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.conflicts import ConflictsScreen


def header_text(app: LitsiftApp) -> str:
    header = app.screen.query_one(Header)
    return " ".join(str(w.render()) for w in header.query("*"))


@pytest.mark.parametrize("reviewer", ["lead", "ana"])
async def test_the_conflicts_header_names_the_reviewer_once(store: Store, reviewer: str) -> None:
    app = LitsiftApp(store, reviewer, start="home", rank=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "c")
        assert isinstance(app.screen, ConflictsScreen)
        shown = header_text(app)
        assert f"conflicts · resolving as {reviewer}" in shown
        assert "lead lead" not in shown
