"""Dual screening in the app, driven by Pilot: two reviewers screen the same record blind,
the history screen hides the other's decision, and the lead resolves the conflict from
home's conflicts screen; home shows the agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service, settings
from review.conflicts import list_conflicts
from review.consensus import final_labels
from review.db import Store
from tests.ris import numbered_ris
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.conflicts import ConflictsScreen
from tui.screens.history import HistoryScreen
from tui.screens.home import HomeScreen
from tui.screens.screening import ScreeningScreen
from tui.widgets.agreement_panel import AgreementPanel
from tui.widgets.record_view import RecordView


@pytest.fixture
def dual(store: Store, tmp_path: Path) -> Store:
    record = "TY  - JOUR\nID  - k{n}\nTI  - Outcomes fund evaluation {n}\nAB  - Text.\nER  - \n\n"
    service.import_files(store, [numbered_ris(tmp_path / "three.ris", record, 3)])
    settings.set_protocol_value(store, "screening_mode", "dual", actor="lead")
    return store


def screen_text(app: LitsiftApp) -> str:
    """Everything the current screen shows in its static widgets and tables."""
    parts = [str(w.render()) for w in app.screen.query("Static")]
    for table in app.screen.query("DataTable"):
        parts += [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    return " | ".join(parts)


def shown_id(app: LitsiftApp) -> int | None:
    screen = app.screen
    assert isinstance(screen, ScreeningScreen)
    return None if screen.current is None else screen.current["id"]


async def test_two_reviewers_screen_the_same_record_blind(dual: Store) -> None:
    app = LitsiftApp(dual, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert shown_id(app) == 1
        await press(app, pilot, "i")
        assert shown_id(app) == 2  # ana owes 2 and 3 now
    app = LitsiftApp(dual, "bob", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert shown_id(app) == 1  # bob still owes record 1 ...
        record = " ".join(str(w.render()) for w in app.screen.query_one(RecordView).query("Static"))
        assert "ana" not in record and "include" not in record.lower()  # ... blind
        assert "ana" not in screen_text(app)
        assert "0/3 · 0 in" in str(app.screen.query_one("#status").render())
        await press(app, pilot, "escape")  # home, then the history: ana's decision is not listed
        await press(app, pilot, "h")
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("DataTable").row_count == 0  # type: ignore[attr-defined]
        await pilot.press("escape")
        await press(app, pilot, "s")
        assert shown_id(app) == 1
        await press(app, pilot, "e")
        assert shown_id(app) == 2
        await press(app, pilot, "escape")  # both decided: now bob sees ana's decision in history
        await press(app, pilot, "h")
        assert isinstance(app.screen, HistoryScreen)
        reviewers = {r.decision.reviewer for r in app.screen.rows}
        assert reviewers == {"ana", "bob"}
    [conflict] = list_conflicts(dual)
    assert conflict.record_id == 1


async def test_the_lead_resolves_a_conflict_from_home(dual: Store) -> None:
    service.record_decision(dual, 2, "include", reviewer="ana")
    service.record_decision(dual, 2, "exclude", reviewer="bob")
    service.record_decision(dual, 3, "exclude", reviewer="ana")
    service.record_decision(dual, 3, "exclude", reviewer="bob")
    app = LitsiftApp(dual, "lead", start="home", rank=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        panel = str(app.screen.query_one(AgreementPanel).render())
        assert "1 conflict to resolve" in panel and "ana × bob: n=2" in panel
        await press(app, pilot, "c")
        assert isinstance(app.screen, ConflictsScreen)
        assert "ana: include · bob: exclude" in screen_text(app)
        assert "Outcomes fund evaluation 2" in str(
            app.screen.query_one(RecordView).query_one("#record-title").render()
        )
        await press(app, pilot, "i")
        assert "No conflicts to resolve" in screen_text(app)
        await press(app, pilot, "escape")
        assert "0 conflicts to resolve" in str(app.screen.query_one(AgreementPanel).render())
    fl = final_labels(dual, "title-abstract")[2]
    assert (fl.label, fl.resolved_by) == ("include", "lead")
