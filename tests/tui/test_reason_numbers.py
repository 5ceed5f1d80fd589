"""The exclusion reasons are numbered and a digit picks one: `e` `3` excludes for the third
reason without walking the list (full-text screening is a long run of exclusions)."""

from __future__ import annotations

from review import service, settings
from review.db import Store
from tests.tui.pilot import press, settle
from tests.tui.test_screening_screen import loaded  # noqa: F401 - the fixture
from tui.app import LitsiftApp
from tui.screens.reason_picker import ReasonPicker


async def test_a_digit_picks_a_numbered_reason(loaded: Store) -> None:  # noqa: F811
    for rid in (1, 2):
        service.record_decision(loaded, rid, "include", reviewer="ana")
    app = LitsiftApp(loaded, "ana", stage="full-text", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "e")
        assert isinstance(app.screen, ReasonPicker)
        shown = str(app.screen.query_one("OptionList").get_option_at_index(2).prompt)
        assert shown.startswith("3 ")
        await press(app, pilot, "9")  # beyond the list: nothing happens
        assert isinstance(app.screen, ReasonPicker)
        await press(app, pilot, "3")
        await settle(app, pilot)
        reason = settings.DEFAULT_REASONS[2]
        assert f"#1: exclude ({reason})" in str(app.screen.query_one("#status").render())
    [d] = service.list_decisions(loaded, stage="full-text")
    assert (d.record_id, d.reason) == (1, settings.DEFAULT_REASONS[2])


async def test_a_long_question_wraps_inside_the_picker(loaded: Store) -> None:  # noqa: F811
    from textual.widgets import Label

    question = "Where is it from? (PRISMA counts databases and registers apart from the rest)"
    app = LitsiftApp(loaded, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(ReasonPicker(["a", "b"], prompt=question))
        await settle(app, pilot)
        label = app.screen.query(Label).first()
        box = label.parent
        assert box is not None
        assert label.size.width <= box.content_size.width and label.size.height >= 2
