"""KeywordsEditor: edit the review's include and exclude keywords, one per line."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class KeywordsEditor(ModalScreen[tuple[list[str], list[str]] | None]):
    """Two lists, one keyword or phrase per line (`contract*` matches any ending);
    Ctrl+S saves, Escape cancels, Tab moves between the lists."""

    DEFAULT_CSS = """
    KeywordsEditor {
        align: center middle;
    }
    KeywordsEditor > Vertical {
        width: 90%;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    KeywordsEditor Horizontal {
        height: 1fr;
    }
    KeywordsEditor Horizontal > Vertical {
        width: 1fr;
    }
    KeywordsEditor TextArea {
        height: 1fr;
    }
    KeywordsEditor #help {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, include: list[str], exclude: list[str]) -> None:
        super().__init__()
        self.include = include
        self.exclude = exclude

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Ctrl+S save · Escape cancel · one keyword or phrase per line", id="help")
            with Horizontal():
                with Vertical():
                    yield Label("[green]Include[/] keywords")
                    yield TextArea("\n".join(self.include), id="include", tab_behavior="focus")
                with Vertical():
                    yield Label("[red]Exclude[/] keywords")
                    yield TextArea("\n".join(self.exclude), id="exclude", tab_behavior="focus")

    def action_save(self) -> None:
        def lines(area: str) -> list[str]:
            return self.query_one(f"#{area}", TextArea).text.splitlines()

        self.dismiss((lines("include"), lines("exclude")))

    def action_cancel(self) -> None:
        self.dismiss(None)
