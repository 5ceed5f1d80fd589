"""ConfirmPrompt: a yes/no question before a step that changes how the review goes on
(starting or cancelling the random check); it dismisses with True (y) or False (n, Escape)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.keys import screen_bindings
from tui.safe_text import safe_text


class ConfirmPrompt(ModalScreen[bool]):
    """Ask a yes/no question; nothing happens until it is answered."""

    DEFAULT_CSS = """
    ConfirmPrompt {
        align: center middle;
    }
    ConfirmPrompt > Vertical {
        width: 70%;
        height: auto;
        padding: 1 2;
        border: round $warning;
        background: $surface;
    }
    ConfirmPrompt Label {
        width: 100%;
    }
    ConfirmPrompt #keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("confirm")

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(safe_text(self.question), id="question")
            yield Label("y yes · n or Esc no", id="keys", classes="prompt-keys")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)
