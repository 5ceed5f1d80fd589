"""ReasonPicker: choose an exclusion reason from the review's picklist (a digit, or the
arrows and Enter), or Escape."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from tui.keys import screen_bindings
from tui.safe_text import safe_text


class ReasonPicker(ModalScreen[str | None]):
    """A modal list of reasons; dismisses with the chosen reason or None."""

    DEFAULT_CSS = """
    ReasonPicker {
        align: center middle;
    }
    ReasonPicker > Vertical {
        width: 60;
        height: auto;
        max-height: 80%;
        padding: 1 2;
        border: round $error;
        background: $surface;
    }
    ReasonPicker OptionList {
        height: auto;
        max-height: 16;
    }
    ReasonPicker Label {
        width: 100%;
    }
    ReasonPicker #keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        *screen_bindings("reason_picker"),  # 1-9 pick the numbered reasons
    ]

    def __init__(self, reasons: list[str], prompt: str = "Exclude because:") -> None:
        super().__init__()
        self.reasons = reasons
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.prompt)
            yield OptionList(
                *(
                    safe_text(f"{i} " if i <= 9 else "  ", "bold") + safe_text(r, single_line=True)
                    for i, r in enumerate(self.reasons, 1)
                )
            )
            yield Label(
                "1-9 or ↑↓ and Enter to choose · Esc to cancel", id="keys", classes="prompt-keys"
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.reasons[event.option_index])

    def action_pick(self, index: int) -> None:
        if index < len(self.reasons):
            self.dismiss(self.reasons[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
