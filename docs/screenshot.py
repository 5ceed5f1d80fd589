"""Regenerate docs/screening.svg (the README's screenshot) with Textual's own export.

python docs/screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpora.service import create_demo_review  # noqa: E402
from tui.app import LitsiftApp  # noqa: E402
from tui.screens.screening import ScreeningScreen  # noqa: E402


async def shoot(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = create_demo_review(Path(tmp))
        app = LitsiftApp(demo.store, "ana")
        async with app.run_test(size=(110, 34)) as pilot:
            screen = app.screen
            assert isinstance(screen, ScreeningScreen)
            while screen.ranker is None:
                await pilot.pause(0.2)
            for key in "eie":
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
            await pilot.press("t", *"uk", "enter")
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
            app.save_screenshot(filename=out.name, path=str(out.parent))
        demo.store.dispose()


if __name__ == "__main__":
    asyncio.run(shoot(ROOT / "docs" / "screening.svg"))
