"""Changing a decision from the history screen: a full-text exclusion asks for its reason
(as the screening screen does), and another reviewer's decision is not "changed" by
recording one's own against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service
from review.db import Store
from review.decision_change import change_decision
from review.errors import InvalidInputError
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.history import HistoryScreen
from tui.screens.reason_picker import ReasonPicker

RECORDS = "".join(f"TY  - JOUR\nTI  - Outcomes fund {n}\nER  - \n\n" for n in range(1, 4))


@pytest.fixture
def decided(store: Store, tmp_path: Path) -> Store:
    p = tmp_path / "three.ris"
    p.write_text(RECORDS)
    service.import_files(store, [p])
    service.record_decision(store, 1, "include", reviewer="ana")
    service.record_decision(store, 1, "include", stage="full-text", reviewer="ana")
    service.record_decision(store, 2, "include", reviewer="kofi")
    return store


async def open_history(app: LitsiftApp, pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await press(app, pilot, "h")
    screen = app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


async def test_a_full_text_exclusion_from_history_asks_for_a_reason(decided: Store) -> None:
    app = LitsiftApp(decided, "ana", start="home", rank=False)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_history(app, pilot)
        rows = [(r.decision.record_id, r.decision.stage) for r in screen.rows]
        assert rows[0] == (2, "title-abstract") and rows[1] == (1, "full-text")
        await press(app, pilot, "down", "e")
        assert isinstance(app.screen, ReasonPicker)
        await press(app, pilot, "escape")  # cancelled: nothing recorded
        assert len(service.list_decisions(decided, stage="full-text")) == 1
        await press(app, pilot, "e")
        await press(app, pilot, "down", "enter")  # the second reason of the picklist
        await settle(app, pilot)
    last = service.list_decisions(decided, stage="full-text")[-1]
    assert (last.record_id, last.label, last.reason) == (1, "exclude", "wrong intervention")


async def test_another_reviewers_decision_is_not_changed_as_ones_own(decided: Store) -> None:
    app = LitsiftApp(decided, "ana", start="home", rank=False)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_history(app, pilot)
        assert screen.rows[0].decision.reviewer == "kofi"
        await press(app, pilot, "e")
        assert "only your own decisions" in " ".join(str(n.message) for n in app._notifications)
    assert [d.reviewer for d in service.list_decisions(decided, stage="title-abstract")] == [
        "ana",
        "kofi",
    ]


def test_change_decision_refuses_a_reasonless_full_text_exclusion(decided: Store) -> None:
    mine = service.list_decisions(decided, stage="full-text")[0]
    with pytest.raises(InvalidInputError, match="needs a reason"):
        change_decision(decided, mine, "exclude", reviewer="ana")
    changed = change_decision(decided, mine, "exclude", reviewer="ana", reason="wrong setting")
    assert (changed.label, changed.reason) == ("exclude", "wrong setting")
    assert changed.stage == "full-text"
