"""CellEditor: edit one cell of a repeating group. Enter checks the value against its column
(the reason is shown inline and the editor stays open when it does not fit) and dismisses
with the typed value; Escape cancels (dismisses with `CANCELLED`)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from extraction.forms import FieldDef, coerce, format_value
from tui.safe_text import safe_text, visible
from tui.widgets.field_editor import PLACEHOLDERS, field_label

CANCELLED = object()


class CellEditor(ModalScreen[Any]):
    """Ask for one cell's value."""

    DEFAULT_CSS = """
    CellEditor {
        align: center middle;
    }
    CellEditor > Vertical {
        width: 80%;
        max-width: 90;
        height: auto;
        padding: 1 2;
        border: round $primary;
        background: $surface;
    }
    CellEditor #cell-message {
        color: $text-muted;
    }
    CellEditor.-invalid #cell-message {
        color: $error;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, column: FieldDef, value: Any) -> None:
        super().__init__()
        self.heading = title
        self.column = column
        self.value = value

    def compose(self) -> ComposeResult:
        c = self.column
        hint = ", ".join(ch.value for ch in c.choices) if c.choices else c.help
        if c.type == "multi_choice":
            hint = f"several, separated by ';': {hint}"
        elif c.type == "boolean":
            hint = "yes or no"
        with Vertical():
            yield Label(
                Text.assemble(safe_text(self.heading, single_line=True), " · ", field_label(c))
            )
            yield Input(
                value=visible(format_value(self.value), single_line=True),
                placeholder=PLACEHOLDERS.get(c.type, ""),
                id="cell",
            )
            yield Static(safe_text(hint, single_line=True), id="cell-message")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            value = coerce(self.column, event.value)
        except ValueError as e:
            self.add_class("-invalid")
            self.query_one("#cell-message", Static).update(
                Text.assemble(("✗ ", "bold"), safe_text(str(e), single_line=True))
            )
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(CANCELLED)
