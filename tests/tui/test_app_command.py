"""`litsift app` opens the app on the review's home screen (`screen` opens screening on top
of it): the lead's way in to duplicates, conflicts, extraction, synthesis and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.app import LitsiftApp
from tui.cli import app
from tui.screens.home import HomeScreen


def test_app_opens_the_home_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[str, str]] = []
    monkeypatch.setattr(LitsiftApp, "run", lambda self: started.append((self.start, self.reviewer)))
    res = CliRunner().invoke(app, ["app", "--reviewer", "lead", "--db", str(tmp_path / "r.db")])
    assert res.exit_code == 0, res.output
    assert started == [("home", "lead")]


async def test_the_app_started_at_home_shows_home(tmp_path: Path) -> None:
    from review.service import open_review

    store = open_review(str(tmp_path / "r.db"), name="OBC")
    lit = LitsiftApp(store, "lead", start="home")
    async with lit.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(lit.screen, HomeScreen)
    store.dispose()
