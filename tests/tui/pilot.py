"""Driving the app in Pilot tests: press keys, then let the app finish what they started."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot


async def settle(app: App, pilot: Pilot, rounds: int = 4) -> None:
    """Wait for the app's workers and handle what they posted, `rounds` times (a handled
    message may start another worker)."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def press(app: App, pilot: Pilot, *keys: str, rounds: int = 4) -> None:
    """Press `keys` (as `Pilot.press` does), then `settle`."""
    await pilot.press(*keys)
    await settle(app, pilot, rounds)
