"""The Textual app: the home screen of a review, and the screens it leads to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from review import service, settings
from review.db import Store
from tui.safe_text import visible
from tui.screens.home import HomeScreen
from tui.screens.screening import ScreeningScreen
from tui.worker_errors import WorkerFailed, reports_failure


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

    @dataclass
    class ReviewRead(Message):
        """The review's name and keymap, read by a worker."""

        name: str
        keys: dict[str, str]

    def on_mount(self) -> None:
        self._read_review()
        self.push_screen(HomeScreen(self.store, self.reviewer))
        if self.start == "screening":
            self.push_screen(ScreeningScreen(self.store, self.reviewer, self.stage, rank=self.rank))

    @work(thread=True, group="review")
    @reports_failure
    def _read_review(self) -> None:
        name = service.review_info(self.store)["name"]
        self.post_message(self.ReviewRead(name, settings.load(self.store, settings.Keymap).keys))

    def on_litsift_app_review_read(self, message: ReviewRead) -> None:
        self.title = f"litsift · {visible(message.name)}"
        self.set_keymap(message.keys)  # see tui/keys.py

    def action_toggle_keys(self) -> None:
        """`?`: show the key panel (the screen's own keys first), or hide it when open."""
        from tui.widgets.keys_panel import KeysPanel

        panels = self.screen.query(KeysPanel)
        if panels:
            panels.remove()
        else:
            self.screen.mount(KeysPanel())

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """Every worker's failure is shown the same way; the app keeps running."""
        self.notify(message.error, severity="error", markup=False, timeout=8)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (Ctrl+P): every action of the current screen, the home
        screen's (open screening, history, duplicates, import) and Textual's own."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            b = active.binding
            if not b.description or b.action.startswith("app.") or b.action in seen:
                continue
            if not active.enabled:
                continue
            seen.add(b.action)
            key = self.get_key_display(b)
            yield SystemCommand(
                b.description,
                f"key {key}",
                lambda node=active.node, action=b.action: self.run_action(action, node),
            )
        home = next((s for s in self.screen_stack if isinstance(s, HomeScreen)), None)
        if home is not None and home is not screen:
            for go in HomeScreen.BINDINGS:
                if isinstance(go, Binding) and go.id and go.action in HomeScreen.GO_TO:
                    yield SystemCommand(
                        f"Go to: {go.description}",
                        "open it over this screen",
                        lambda action=go.action: self.run_action(action, home),
                    )
        yield from super().get_system_commands(screen)
