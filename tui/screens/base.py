"""LitsiftScreen: what every full screen of the app shares, written once: the header with the
screen's own sub-title (so it is right whichever way the screen was reached), the footer of
its keys, the review's store and reviewer, and how it takes a worker's failure (the app shows
the message; the screen stops being busy and, when nothing was loaded yet, says so in place).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from review.db import Store
from tui.safe_text import safe_text
from tui.widgets.fitted_header import FittedHeader
from tui.widgets.key_footer import KeyFooter
from tui.worker_errors import WorkerFailed


class LitsiftScreen(Screen[None]):
    """A screen of the review: Header, `compose_body()`, KeyFooter.

    `FAILED_IN` names the Static that shows a worker's failure while `loaded()` is False,
    after the words `FAILED_SAYS` (e.g. "No extraction here:"; `{screen.x}` is filled in)."""

    FAILED_IN: ClassVar[str] = ""
    FAILED_SAYS: ClassVar[str] = ""

    def __init__(self, store: Store, reviewer: str = "", sub_title: str = "") -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.sub_title = sub_title  # the screen's own: never another screen's left behind
        self.busy = False

    def compose(self) -> ComposeResult:
        yield FittedHeader()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's widgets between the header and the footer."""
        yield from ()

    def loaded(self) -> bool:
        """Whether the screen has something to show (a failure then only notifies)."""
        return True

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self.busy = False
        if self.FAILED_IN and not self.loaded():
            says = self.FAILED_SAYS.format(screen=self) + " " if self.FAILED_SAYS else ""
            self.query_one(f"#{self.FAILED_IN}", Static).update(safe_text(says + message.error))
