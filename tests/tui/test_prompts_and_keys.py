"""Small things a new user meets: `?` opens and closes the key panel, prompts say which keys
answer them, the history's time is whole at 80 columns, and a failing worker is a notice."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from review import service
from review.db import Store
from tests.tui.test_home_history import RECORDS, settle
from tui.app import LitsiftApp
from tui.screens.history import HistoryScreen
from tui.screens.text_prompt import TextPrompt
from tui.widgets.keys_panel import KeysPanel


def _loaded(store: Store, tmp_path: Path) -> Store:
    p = tmp_path / "five.ris"
    p.write_text(RECORDS)
    service.import_files(store, [p])
    service.record_decision(store, 1, "include", reviewer="ana")
    return store


async def test_question_mark_toggles_the_key_panel(store: Store) -> None:
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query(KeysPanel)
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query(KeysPanel)


async def test_the_title_is_read_by_a_worker(store: Store) -> None:
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.title == "litsift · test review"


async def test_a_prompt_says_enter_and_esc(store: Store) -> None:
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.push_screen(TextPrompt("Note:"))
        await pilot.pause()
        keys = str(app.screen.query_one("#keys").render())
        assert "Enter" in keys and "Esc" in keys


async def test_history_time_is_whole_at_80_columns(store: Store, tmp_path: Path) -> None:
    app = LitsiftApp(_loaded(store, tmp_path), "ana", start="home", rank=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one(DataTable)
        when = table.ordered_columns[1]
        assert str(when.label) == "when"
        right_edge = sum(c.get_render_width(table) for c in table.ordered_columns[:2])
        assert right_edge <= 80
        assert len(str(table.get_row_at(0)[1])) == len("2026-11-29 18:00")


async def test_a_failing_worker_is_a_notice_and_the_app_goes_on(
    store: Store, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def broken(*a: object, **k: object) -> None:
        raise OSError("disk gone")

    app = LitsiftApp(_loaded(store, tmp_path), "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(service, "decision_history", broken)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen) and app.is_running
        assert any("disk gone" in n.message for n in app._notifications)
