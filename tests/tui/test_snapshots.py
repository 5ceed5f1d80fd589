"""SVG snapshots of the main screens (screening, home, history, duplicates, conflicts) on the demo
corpus at 80x24 and 120x40.

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/tui/__snapshots__/ before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.service import create_demo_review
from tui.app import LitsiftApp


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until no worker runs for two rounds in a row: a worker's message can start
    another worker (title and keymap, dashboard, PRISMA box, a screen's list, its reasons), and
    a fixed number of rounds lost that race on a loaded machine."""
    quiet = 0
    for _ in range(20):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not w.is_finished for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet == 2:
            return


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_screening_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    demo = create_demo_review(tmp_path)
    assert snap_compare(
        LitsiftApp(demo.store, "ana", rank=False), terminal_size=size, run_before=_settle
    )


def test_screening_screen_after_decisions(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo = create_demo_review(tmp_path)

    async def decide(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        for key in "eei":
            await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(
        LitsiftApp(demo.store, "ana", rank=False), terminal_size=(80, 24), run_before=decide
    )


SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def _demo_with_history(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The demo review with a few decisions at a fixed time (history shows times)."""
    from sqlalchemy import text

    from review import service

    demo = create_demo_review(tmp_path)
    for rid, label in ((1, "include"), (2, "exclude"), (3, "exclude"), (4, "maybe")):
        service.record_decision(demo.store, rid, label, reviewer="ana")
    with demo.store.begin() as conn:
        conn.execute(text("UPDATE decision SET created_at = '2026-11-23 09:30:00'"))
    return demo


@SIZES
def test_home_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    demo = _demo_with_history(tmp_path)
    app = LitsiftApp(demo.store, "ana", start="home", rank=False)
    assert snap_compare(app, terminal_size=size, run_before=_settle)


def _from_home(key: str):  # type: ignore[no-untyped-def]
    """A `run_before` that opens a screen from home by its key."""

    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press(key)
        await _settle(pilot)

    return run


@SIZES
def test_history_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    demo = _demo_with_history(tmp_path)
    app = LitsiftApp(demo.store, "ana", start="home", rank=False)
    assert snap_compare(app, terminal_size=size, run_before=_from_home("h"))


@SIZES
def test_duplicates_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from review.dedup.service import run_dedup

    demo = create_demo_review(tmp_path)
    run_dedup(demo.store, auto_threshold=1.0)  # strict: leaves pairs for a person
    app = LitsiftApp(demo.store, "ana", start="home", rank=False)
    assert snap_compare(app, terminal_size=size, run_before=_from_home("d"))


@SIZES
def test_conflicts_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    demo = create_demo_review(tmp_path)  # its two reviewers disagree on a few records
    app = LitsiftApp(demo.store, "lead", start="home", rank=False)
    assert snap_compare(app, terminal_size=size, run_before=_from_home("c"))
