"""The Textual app: opens a review and shows the screening screen."""

from __future__ import annotations

from textual.app import App

from review import service
from review.db import Store
from tui.screens.screening import ScreeningScreen


class LitsiftApp(App[None]):
    """litsift in the terminal. The store is opened by the caller (CLI or tests)."""

    TITLE = "litsift"

    def __init__(self, store: Store, reviewer: str, stage: str = "title-abstract") -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.stage = stage

    def on_mount(self) -> None:
        self.title = f"litsift · {service.review_info(self.store)['name']}"
        self.push_screen(ScreeningScreen(self.store, self.reviewer, self.stage))
