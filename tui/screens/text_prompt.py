"""TextPrompt: a small modal asking for one line (a path, a note, a tag, a search); it
dismisses with the text, or None when cancelled or left empty."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label


class TextPrompt(ModalScreen[str | None]):
    """Ask for a line of text: Enter accepts, Escape cancels; `suggestions` complete as you
    type (right arrow accepts a suggestion)."""

    DEFAULT_CSS = """
    TextPrompt {
        align: center middle;
    }
    TextPrompt > Vertical {
        width: 80%;
        height: auto;
        padding: 1 2;
        border: round $primary;
        background: $surface;
    }
    TextPrompt #hint, TextPrompt #keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, question: str, value: str = "", *, suggestions: Sequence[str] = (), hint: str = ""
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.suggestions = list(suggestions)
        self.hint = hint

    def compose(self) -> ComposeResult:
        suggester = (
            SuggestFromList(self.suggestions, case_sensitive=False) if self.suggestions else None
        )
        with Vertical():
            yield Label(self.question)
            yield Input(value=self.value, id="text", suggester=suggester)
            if self.hint:
                yield Label(self.hint, id="hint")
            yield Label("Enter to save · Esc to cancel", id="keys", classes="prompt-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
