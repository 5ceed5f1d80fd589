"""The PRISMA box on home follows decisions; the full-text screen links reports to a study."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from review import service, studies
from review.db import Store
from tests.tui.test_home_history import RECORDS, settle, text_of, wait_for
from tui.app import LitsiftApp
from tui.screens.home import HomeScreen
from tui.screens.screening import ScreeningScreen


def _review(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "five.ris"
    p.write_text(RECORDS, encoding="utf-8")
    service.import_files(store, [p], source_name="Scopus")


async def test_prisma_box_on_home_updates_after_a_decision(store: Store, tmp_path: Path) -> None:
    _review(store, tmp_path)
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(app, pilot, lambda: "identified 5 | 0" in text_of(app, "#prisma"))
        assert "reports sought 0 | 0" in text_of(app, "#prisma")
        assert "of which 5 awaiting" in text_of(app, "#prisma")
        await pilot.press("s")
        await wait_for(app, pilot, lambda: isinstance(app.screen, ScreeningScreen))
        await wait_for(app, pilot, lambda: getattr(app.screen, "current", None) is not None)
        await pilot.press("i")
        await wait_for(app, pilot, lambda: "1 in ·" in text_of(app, "#status"))
        await pilot.press("escape")
        await wait_for(app, pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(app, pilot, lambda: "reports sought 1 | 0" in text_of(app, "#prisma"))
        assert "of which 4 awaiting" in text_of(app, "#prisma")
        assert "1 report awaiting a full-text decision" in text_of(app, "#prisma")


async def test_full_text_screen_links_reports_of_one_study(store: Store, tmp_path: Path) -> None:
    _review(store, tmp_path)
    for rid in (1, 2):
        service.record_decision(store, rid, "include", reviewer="ana")
    app = LitsiftApp(store, "ana", stage="full-text", start="screening", rank=False)
    async with app.run_test(size=(110, 40)) as pilot:
        await wait_for(app, pilot, lambda: getattr(app.screen, "current", None) is not None)
        assert getattr(app.screen, "current", {})["id"] == 1
        await pilot.press("l")
        await settle(app, pilot)
        app.screen.query_one("#text", Input).value = "2"
        await pilot.press("enter")
        await wait_for(app, pilot, lambda: bool(studies.list_studies(store)))
        assert studies.list_studies(store)[0].reports == [1, 2]


def test_the_awaiting_count_is_the_column_it_stands_in(store: Store, tmp_path: Path) -> None:
    """The "screened N (of which M awaiting)" line is the databases column: records from
    other methods waiting for a decision are said apart, not added to M."""
    from review.prisma import prisma_counts
    from tui.widgets.prisma_box import summary_lines

    _review(store, tmp_path)  # five records from a database
    grey = tmp_path / "grey.ris"
    grey.write_text(
        "".join(f"TY  - RPRT\nTI  - Outcomes fund report {n}\nER  - \n\n" for n in range(1, 4)),
        encoding="utf-8",
    )
    service.import_files(store, [grey], source_name="GO Lab", source_type="organisation")
    service.record_decision(store, 1, "exclude", reviewer="ana")
    service.record_decision(store, 6, "exclude", reviewer="ana")
    text = "\n".join(summary_lines(prisma_counts(store)))
    assert "screened 5 (of which 4 awaiting a decision) · excluded 1" in text
    assert "other methods: 3 screened (of which 2 awaiting a decision) · excluded 1" in text
