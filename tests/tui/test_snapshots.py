"""SVG snapshots of the screening screen on the demo corpus at 80x24 and 120x40.

Update after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`,
then look at the SVGs in tests/tui/__snapshots__/ before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpora.service import create_demo_review
from tui.app import LitsiftApp


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):  # a worker's message can start another worker (record, then advice)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


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
