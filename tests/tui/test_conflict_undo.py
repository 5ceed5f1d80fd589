"""A lead's resolution is one key press; `u` on the conflicts screen takes the last one back:
the conflict is open again (a 'reopened' resolution is appended: nothing is deleted)."""

from __future__ import annotations

import pytest

from review import service
from review.conflict_reopen import reopen_conflict
from review.conflicts import list_conflicts, list_resolutions
from review.consensus import final_labels
from review.db import Store
from review.errors import NotFoundError
from tests.tui.pilot import press, settle
from tests.tui.test_dual_app import dual  # noqa: F401 - the fixture
from tui.app import LitsiftApp
from tui.screens.conflicts import ConflictsScreen


async def test_u_reopens_the_conflict_just_resolved(dual: Store) -> None:  # noqa: F811
    service.record_decision(dual, 2, "include", reviewer="ana")
    service.record_decision(dual, 2, "exclude", reviewer="bob")
    app = LitsiftApp(dual, "lead", start="home", rank=False)
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "c")
        screen = app.screen
        assert isinstance(screen, ConflictsScreen)
        await press(app, pilot, "u")  # nothing resolved here yet: nothing happens
        assert len(list_resolutions(dual)) == 0
        await press(app, pilot, "e")
        assert not screen.conflicts and final_labels(dual, "title-abstract")[2].label == "exclude"
        await press(app, pilot, "u")
        assert [c.record_id for c in screen.conflicts] == [2]
        await press(app, pilot, "i")
    assert final_labels(dual, "title-abstract")[2].label == "include"
    assert [r.label for r in list_resolutions(dual)] == ["exclude", "reopened", "include"]


def test_reopening_needs_a_standing_resolution(dual: Store) -> None:  # noqa: F811
    service.record_decision(dual, 2, "include", reviewer="ana")
    service.record_decision(dual, 2, "exclude", reviewer="bob")
    with pytest.raises(NotFoundError):
        reopen_conflict(dual, 2, stage="title-abstract", by="lead")
    from review.conflicts import resolve_conflict

    resolve_conflict(dual, 2, "include", resolved_by="lead")
    assert not list_conflicts(dual)
    reopen_conflict(dual, 2, stage="title-abstract", by="lead")
    assert [c.record_id for c in list_conflicts(dual)] == [2]
    with pytest.raises(NotFoundError):
        reopen_conflict(dual, 2, stage="title-abstract", by="lead")
