"""A review with nothing to screen yet says so (and what to do), instead of "Nothing left to
screen" and "all records screened: recall 100%"."""

from __future__ import annotations

from review.db import Store
from tests.tui.pilot import settle
from tui.app import LitsiftApp


def shown(app: LitsiftApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_an_empty_review_says_there_is_nothing_yet(store: Store) -> None:
    app = LitsiftApp(store, "ana", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "No records to screen yet" in shown(app, "#record-title")
        assert "import" in shown(app, "#record-title")
        assert "recall 100%" not in shown(app, "#stopping")
        assert "nothing to screen yet" in shown(app, "#stopping")
    app = LitsiftApp(store, "ana", stage="full-text", rank=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "included at title/abstract" in shown(app, "#record-title")
