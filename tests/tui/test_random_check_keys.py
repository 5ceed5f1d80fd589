"""`x` on the screening screen: the random check of the stopping rule is started at once
when the rule asks for it, after a yes/no question before that, and `x` again cancels the
check under way (after a question too); `n` or Escape leaves everything as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.db import Store
from review.importing import import_file
from screening.service import get_check
from tests.ris import numbered_ris
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.confirm_prompt import ConfirmPrompt
from tui.screens.screening import ScreeningScreen

RECORD = "TY  - JOUR\nTI  - Outcomes contract {n}\nPY  - 2020\nER  - \n\n"


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    import_file(store, numbered_ris(tmp_path / "ten.ris", RECORD, 10))
    return store


def status(app: LitsiftApp) -> str:
    return str(app.screen.query_one("#status").render())


async def test_an_early_random_check_is_asked_for_and_can_be_cancelled(loaded: Store) -> None:
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "e")
        await press(app, pilot, "x")  # the rule wants 50 excludes in a row first: asked
        assert isinstance(app.screen, ConfirmPrompt)
        question = app.screen.query_one("#question")
        assert "does not ask for the random check yet" in str(question.render())
        assert question.parent is not None  # the long question wraps inside its box
        assert question.size.width <= question.parent.content_size.width
        await press(app, pilot, "n")
        assert isinstance(app.screen, ScreeningScreen)
        assert get_check(loaded, reviewer="ana") is None
        await press(app, pilot, "x", "escape")
        assert get_check(loaded, reviewer="ana") is None

        await press(app, pilot, "x", "y")
        check = get_check(loaded, reviewer="ana")
        assert check is not None and len(check.pool) == 9
        assert "random check" in status(app)
        assert "x cancels it" in str(app.screen.query_one("#stopping").render())

        await press(app, pilot, "x")  # under way: x offers to cancel it
        assert isinstance(app.screen, ConfirmPrompt)
        assert "Cancel the random check?" in str(app.screen.query_one("#question").render())
        await press(app, pilot, "y")
        assert get_check(loaded, reviewer="ana") is None
        assert "random check cancelled" in status(app)
        assert "random check" not in status(app).replace("random check cancelled", "")
