"""What every screen shares (tui/screens/base.py, tui/widgets/key_footer.py, tui/keys.py),
pinned where a user found it wrong: the home footer at 80 columns dropped `o Import` without a
word; the header kept "extraction" on the synthesis screen; Enter did nothing on the synthesis
screen while a field picker had the focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Header, Select, Static
from textual.widgets._footer import FooterKey, FooterLabel

from corpora.service import create_demo_review
from review.service import open_review
from tests.extraction.demo_review import build_demo
from tests.tui.test_home_history import settle, wait_for
from tui import keys
from tui.app import LitsiftApp
from tui.screens.extraction import ExtractionScreen
from tui.screens.home import HomeScreen
from tui.screens.synthesis import SynthesisScreen
from tui.widgets.key_footer import MORE, KeyFooter, fit, key_width
from tui.widgets.keys_panel import KeysPanel


def _footer(app: LitsiftApp) -> tuple[list[str], list[str]]:
    """The actions of the keys the footer shows, and the text of its labels."""
    footer = app.screen.query_one(KeyFooter)
    shown = [k.action for k in footer.query(FooterKey) if not k.has_class("-command-palette")]
    return shown, [str(label.render()) for label in footer.query(FooterLabel)]


async def test_home_footer_at_80_columns_points_to_the_keys_it_cannot_show(tmp_path: Path) -> None:
    demo = create_demo_review(tmp_path)
    app = LitsiftApp(demo.store, "ana", start="home", rank=False)
    home_actions = [b.action for b in HomeScreen.BINDINGS if b.show]  # type: ignore[union-attr]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown, labels = _footer(app)
        assert "import_file" not in shown  # no room for every key at 80 columns...
        assert labels == [MORE] and shown[-1] == keys.HELP[2]  # ...so "… ? Keys" says so
        assert shown[:-1] == home_actions[: len(shown) - 1]  # the first ones, in order
        await pilot.press("question_mark")  # the key panel lists every one of them
        await pilot.pause()
        listed = [d for _, d in app.screen.query_one(KeysPanel).rows()]
        assert all(b.description in listed for b in HomeScreen.BINDINGS)  # type: ignore[union-attr]
        await pilot.resize_terminal(200, 24)  # wide: every key, no "…"
        await pilot.press("question_mark")
        await settle(app, pilot)
        shown, labels = _footer(app)
        assert shown == home_actions and labels == []
    demo.store.dispose()


def test_fit_keeps_the_help_key_and_the_order() -> None:
    class Key:  # what `fit` reads of a FooterKey
        def __init__(self, key: str, description: str, action: str) -> None:
            self.key_display, self.description, self.action = key, description, action

    ks = [Key("s", "Screen", "screen"), Key("o", "Import", "import_file")]
    ks.append(Key("?", "Keys", keys.HELP[2]))
    everything = sum(key_width(k, False) for k in ks)  # type: ignore[arg-type,misc]
    assert fit(ks, everything, False) is ks  # type: ignore[arg-type]
    tight = fit(ks, everything - 1, False)  # type: ignore[arg-type]
    assert tight is not None and [k.action for k in tight] == ["screen"]
    assert fit(ks[:2], 5, False) is None  # type: ignore[arg-type]  # no help key to point to


@pytest.fixture
def extracted_app(tmp_path: Path) -> Iterator[LitsiftApp]:
    """The app on home over the extracted demo review (studies, a form, settled values)."""
    demo = build_demo(tmp_path)
    store = open_review(demo.db, create=False)
    yield LitsiftApp(store, "ana", start="home", rank=False)
    store.dispose()


async def test_each_screen_has_its_own_sub_title(extracted_app: LitsiftApp) -> None:
    app = extracted_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(Header).screen_sub_title == ""
        await pilot.press("e")
        await wait_for(app, pilot, lambda: isinstance(app.screen, ExtractionScreen))
        assert app.screen.query_one(Header).screen_sub_title == "extraction · ana"
        await pilot.press("escape")
        await wait_for(app, pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.screen.query_one(Header).screen_sub_title == ""  # not "extraction"
        await pilot.press("t")
        await wait_for(app, pilot, lambda: isinstance(app.screen, SynthesisScreen))
        assert app.screen.query_one(Header).screen_sub_title == "synthesis"


async def test_synthesis_lists_a_cell_wherever_the_focus_is(extracted_app: LitsiftApp) -> None:
    app = extracted_app
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await wait_for(app, pilot, lambda: isinstance(app.screen, SynthesisScreen))
        screen = app.screen
        assert isinstance(screen, SynthesisScreen)
        table = screen.query_one(DataTable)
        await wait_for(app, pilot, lambda: table.row_count > 0)
        info = screen.query_one("#cell-studies", Static)
        await pilot.press("enter")  # the cursor starts on a row's label: the row's studies
        await pilot.pause()
        assert "Cambodia: 1 study" in str(info.render())
        await pilot.press("r")  # the rows picker has the focus; Enter would open it
        assert isinstance(app.focused, Select)
        table.move_cursor(row=table.row_count - 1, column=3)
        await pilot.press("l")
        await pilot.pause()
        assert "United States × homelessness: 2 studies" in str(info.render())
        await pilot.press("enter", "down", "enter")  # pick another field for the rows
        await settle(app, pilot)
        assert app.focused is table  # back on the cells once a field is picked
        assert screen.selected()[0] != "country"
        table.move_cursor(row=0, column=1)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.table is not None  # the new table's first cell is listed
        assert str(info.render()).startswith(f"{screen.table.row_axis.labels[0]}")


def test_every_screen_key_is_one_litsift_keys_lists() -> None:
    """Screens take their keys from the one table, so `litsift keys` can remap each of them
    (the conflicts screen's keys were missing from its list)."""
    from tui.screens.confirm_prompt import ConfirmPrompt
    from tui.screens.conflicts import ConflictsScreen
    from tui.screens.duplicates import DuplicatesScreen
    from tui.screens.export import ExportScreen
    from tui.screens.extraction_form import StudyExtractionScreen
    from tui.screens.history import HistoryScreen
    from tui.screens.reason_picker import ReasonPicker
    from tui.screens.reconcile import ReconcileScreen
    from tui.screens.screening import ScreeningScreen
    from tui.widgets.filter_input import FilterInput
    from tui.widgets.group_table import GroupTable

    listed = {b.id for b in keys.bindings()}
    screens = [HomeScreen, ScreeningScreen, HistoryScreen, DuplicatesScreen, ConflictsScreen]
    screens += [ExtractionScreen, StudyExtractionScreen, ReconcileScreen, SynthesisScreen]
    screens += [ExportScreen, ConfirmPrompt, ReasonPicker]  # prompts: keys of their own
    on_screens = {b.id for s in (*screens, GroupTable, FilterInput) for b in s.BINDINGS}  # type: ignore[attr-defined]
    on_screens.discard(None)  # a prompt's Escape (cancel) is not remappable
    assert on_screens == listed and "conflicts.include" in listed
