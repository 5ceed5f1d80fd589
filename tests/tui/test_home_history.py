"""Home (dashboard, importing from the app) and decision history, driven by Pilot."""

from __future__ import annotations

from pathlib import Path

from review import service
from review.db import Store
from tests.conftest import shared_file
from tui.app import LitsiftApp
from tui.screens.history import HistoryScreen
from tui.screens.home import HomeScreen

RECORDS = "".join(
    f"TY  - JOUR\nID  - k{n}\nTI  - Outcomes fund evaluation {n}\nER  - \n\n" for n in range(1, 6)
)


async def settle(app: LitsiftApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for(app: LitsiftApp, pilot, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app work until `predicate()` holds (workers start after callbacks run)."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, (
            "the app did not get there in time; on screen: "
            + " | ".join(str(w.render()) for w in app.screen.query("Static"))[:2000]
        )
        await settle(app, pilot)


def text_of(app: LitsiftApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_home_counts_and_import_from_the_app(store: Store, tmp_path: Path) -> None:
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "0 records from 0 imports" in text_of(app, "#summary")
        await pilot.press("o")
        await pilot.pause()
        path = str(shared_file("formats/ris/asreview/embase.ris"))
        app.screen.query_one("#text").value = path
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1")  # the kind of source: 1 database (PRISMA's left column)
        await wait_for(app, pilot, lambda: "6 records from 1 import " in text_of(app, "#summary"))
        assert isinstance(app.screen, HomeScreen)
        assert "imported" in text_of(app, "#report") and "6 records" in text_of(app, "#report")
        # a broken file is refused and reported; nothing changes
        junk = tmp_path / "junk.ris"
        junk.write_bytes(b"\x00\x01" * 100)
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#text").value = str(junk)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the first kind of source, database
        await wait_for(app, pilot, lambda: "refused" in text_of(app, "#report"))
        assert "junk.ris" in text_of(app, "#report")
    assert service.review_status(store).records == 6


async def test_history_lists_filters_and_changes_decisions(store: Store, tmp_path: Path) -> None:
    p = tmp_path / "five.ris"
    p.write_text(RECORDS)
    service.import_files(store, [p])
    for rid, label in ((1, "include"), (2, "exclude"), (3, "exclude")):
        service.record_decision(store, rid, label, reviewer="ana")
    app = LitsiftApp(store, "ana", start="home", rank=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "ana: 1 include · 2 exclude" in text_of(app, "#stages")
        await pilot.press("h")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert [r.decision.record_id for r in screen.rows] == [3, 2, 1]  # newest first
        await pilot.press("slash")
        screen.query_one("#filter").value = "exclude"
        await pilot.press("enter")
        await settle(app, pilot)
        assert [r.decision.record_id for r in screen.rows] == [3, 2]
        await pilot.press("i")  # change the selected one (record 3) to include
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
    history = service.list_decisions(store, reviewer="ana")
    assert [(d.record_id, d.label) for d in history][-2:] == [(3, "exclude"), (3, "include")]
    assert service.list_records(store, label="include")[-1].id == 3


async def test_duplicate_review_side_by_side(tmp_path: Path) -> None:
    from corpora.service import create_demo_review
    from review.dedup.queries import list_queue
    from review.dedup.service import run_dedup
    from tui.screens.duplicates import DuplicatesScreen

    demo = create_demo_review(tmp_path)
    run_dedup(demo.store, auto_threshold=1.0)  # strict: leaves pairs for a person
    queued = list_queue(demo.store)
    assert queued  # the demo corpus leaves at least one pair for a person
    app = LitsiftApp(demo.store, "ana", start="home", rank=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DuplicatesScreen)
        assert f"{len(queued)} pair" in text_of(app, "#dup-status")
        removed = service.review_status(demo.store).duplicates_removed
        await pilot.press("y")
        await wait_for(app, pilot, lambda: ": same" in text_of(app, "#dup-status"))
        assert len(list_queue(demo.store)) == len(queued) - 1
        assert service.review_status(demo.store).duplicates_removed == removed + 1
        # u undoes the merge: the pair is back in the queue, the copy back in screening
        await pilot.press("u")
        await wait_for(app, pilot, lambda: "undone" in text_of(app, "#dup-status"))
        assert len(list_queue(demo.store)) == len(queued)
        assert service.review_status(demo.store).duplicates_removed == removed
        # and `different` is undone by re-queueing the pair
        await pilot.press("n")
        await wait_for(app, pilot, lambda: ": different" in text_of(app, "#dup-status"))
        assert len(list_queue(demo.store)) == len(queued) - 1
        await pilot.press("u")
        await wait_for(app, pilot, lambda: "undone" in text_of(app, "#dup-status"))
        assert len(list_queue(demo.store)) == len(queued)
