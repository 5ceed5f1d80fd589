"""At 80 columns the header keeps the part that says where you are (the screen, the stage,
who you are) and shortens the review's name instead: a long name used to push the screen's
own sub-title off the edge, so no screen said which stage or reviewer it was."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Header

from review.opening import open_review
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.header_title import fit_title
from tui.screens.history import HistoryScreen

LONG = "Outcomes-based contracting in public services: a global review of the evidence"


def header_text(app: LitsiftApp) -> str:
    header = app.screen.query_one(Header)
    return " ".join(str(w.render()) for w in header.query("*"))


async def test_the_sub_title_shows_whole_at_80_columns(tmp_path: Path) -> None:
    store = open_review(str(tmp_path / "review.db"), name=LONG)
    app = LitsiftApp(store, "ana", rank=False)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            shown = header_text(app)
            assert "title-abstract · ana" in shown and "Outcomes-based" in shown
            assert "…" in shown
            await press(app, pilot, "escape", "h")
            assert isinstance(app.screen, HistoryScreen)
            assert "history · ana" in header_text(app)
            await pilot.resize_terminal(160, 24)
            await settle(app, pilot)
            assert LONG in header_text(app)  # room again: the whole name
    finally:
        store.dispose()


def test_fit_title_shortens_the_name_at_a_word_and_keeps_the_sub_title() -> None:
    title, sub = fit_title(f"litsift · {LONG}", "conflicts · resolving as lead", 62)
    assert sub == "conflicts · resolving as lead"
    assert title.endswith("…") and len(title) + 3 + len(sub) <= 62
    assert title.startswith("litsift · Outcomes")
    assert fit_title("litsift · short", "history · ana", 62) == ("litsift · short", "history · ana")
    assert fit_title(f"litsift · {LONG}", "", 62)[0].endswith("services: a…")  # home: at a word
    # no room at all: the sub-title is cut last
    title, sub = fit_title(f"litsift · {LONG}", "x" * 100, 40)
    assert title == "litsift" and len(sub) <= 40 - len(title) - 3
