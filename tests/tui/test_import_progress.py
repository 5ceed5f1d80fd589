"""Importing from home asks what kind of source the file is (PRISMA counts databases and
registers apart from other methods) and shows what it is doing while it works (a large file
takes a while): the file being read, then how many entries so far."""

from __future__ import annotations

from pathlib import Path

import pytest

from review import service
from review.db import Store
from tests.tui.pilot import press, settle
from tui.app import LitsiftApp
from tui.screens.home import HomeScreen

RECORDS = "".join(f"TY  - JOUR\nTI  - Outcomes fund {n}\nER  - \n\n" for n in range(1, 4))


async def test_home_reports_an_import_while_it_runs(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    shown = HomeScreen.on_home_screen_import_progress

    def spy(self: HomeScreen, message: HomeScreen.ImportProgress) -> None:
        seen.append(message.text)
        shown(self, message)

    monkeypatch.setattr(HomeScreen, "on_home_screen_import_progress", spy)
    p = tmp_path / "three.ris"
    p.write_text(RECORDS)
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#text").value = str(p)  # type: ignore[attr-defined]
        await press(app, pilot, "enter", "4")  # 4: from an organisation
        assert "imported" in str(app.screen.query_one("#report").render())
    assert seen[0] == "importing three.ris…"
    assert "three.ris: 3 entries read" in seen[-1]
    status = service.review_status(store)
    assert status.records == 3 and status.batches[0].source_type == "organisation"


def test_the_source_kinds_offered_are_the_reviews() -> None:
    from review.models import SOURCE_TYPES
    from tui.screens.home import SOURCE_KINDS

    assert tuple(SOURCE_KINDS) == SOURCE_TYPES
