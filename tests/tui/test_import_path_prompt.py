"""Importing from home (`o`) with a wrong path: the app used to ask which kind of source the
file was and only then refuse it. Now a path that is no file brings the prompt back at once,
with what was typed and why, and the prompt says which folder a relative path starts from
and completes the names of the files in it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Label

from review import service
from review.db import Store
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.reason_picker import ReasonPicker
from tui.screens.text_prompt import TextPrompt


def labels(app: LitsiftApp) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Label))


async def test_a_missing_file_is_caught_before_the_source_question(
    store: Store, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scopus_export.ris").write_text("TY  - JOUR\nTI  - One\nER  - \n")
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "o")
        assert isinstance(app.screen, TextPrompt)
        assert str(tmp_path) in labels(app)  # where a relative path starts
        await press(app, pilot, *"scopus_exprt.ris", "enter")
        assert isinstance(app.screen, TextPrompt)  # asked again, not "where is it from?"
        assert app.screen.query_one("#text", Input).value == "scopus_exprt.ris"
        assert "no such file" in labels(app)
        text = app.screen.query_one("#text", Input)
        text.value = ""
        await press(app, pilot, *"scop", "right")  # → takes the completion
        assert text.value == "scopus_export.ris"  # the folder's file names complete
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ReasonPicker)
        await press(app, pilot, "1")
        await settle(app, pilot)
    assert service.review_status(store).records == 1  # the completed name was imported
