"""The Textual app: the home screen of a review, and the screens it leads to."""

from __future__ import annotations

from textual.app import App

from review import service
from review.db import Store
from tui.screens.home import HomeScreen
from tui.screens.screening import ScreeningScreen


class LitsiftApp(App[None]):
    """litsift in the terminal. The store is opened by the caller (CLI or tests).

    `start` is the screen shown first: "screening" (on top of home) or "home"; `rank=False`
    serves records in import order (tests that need a fixed order)."""

    TITLE = "litsift"

    def __init__(
        self,
        store: Store,
        reviewer: str,
        stage: str = "title-abstract",
        start: str = "screening",
        rank: bool = True,
    ) -> None:
        super().__init__()
        self.rank = rank
        self.store = store
        self.reviewer = reviewer
        self.stage = stage
        self.start = start

    def on_mount(self) -> None:
        self.title = f"litsift · {service.review_info(self.store)['name']}"
        self.push_screen(HomeScreen(self.store, self.reviewer))
        if self.start == "screening":
            self.push_screen(ScreeningScreen(self.store, self.reviewer, self.stage, rank=self.rank))
