"""The commands that open the app say what they are doing while the first screen is not up
yet: building the demo review and loading the app take seconds on a busy laptop, and a
blank terminal for that long looks hung."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tui.cli import app


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages of the spinners the commands show on stderr (a terminal only)."""
    messages: list[str] = []

    @contextmanager
    def spy(message: str, quiet: bool = False) -> Iterator[None]:
        messages.append(message)
        yield

    import tui.commands.demo
    import tui.commands.screening

    monkeypatch.setattr(tui.commands.demo, "progress_status", spy)
    monkeypatch.setattr(tui.commands.screening, "progress_status", spy)
    return messages


def test_demo_says_it_is_building_the_review(tmp_path: Path, said: list[str]) -> None:
    result = CliRunner().invoke(app, ["demo", "--no-tui", "--keep", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert any("building the demo review" in m for m in said)


def test_screen_says_it_is_opening_the_app(
    tmp_path: Path, said: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.app import LitsiftApp

    monkeypatch.setattr(LitsiftApp, "run", lambda self: None)  # no terminal in a test
    result = CliRunner().invoke(app, ["screen", "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.output
    assert any("opening" in m for m in said)
