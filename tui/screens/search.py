"""SearchScreen: find a record by words, a phrase, #id or tag:NAME, and open it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from review.annotation import search_records
from review.db import Store
from review.records import RecordView
from tui.safe_text import safe_text
from tui.worker_errors import reports_failure


class SearchScreen(ModalScreen[int | None]):
    """Type to search (results update as you type); Enter or Down moves to the results,
    Enter on a result opens it; Escape cancels."""

    DEFAULT_CSS = """
    SearchScreen {
        align: center middle;
    }
    SearchScreen > Vertical {
        width: 90%;
        height: 80%;
        padding: 0 1;
        border: round $primary;
        background: $surface;
    }
    SearchScreen OptionList {
        height: 1fr;
    }
    SearchScreen #count, SearchScreen #keys {
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "results", "Results", show=False),
    ]

    @dataclass
    class Found(Message):
        """A worker found the records matching `query`."""

        query: str
        records: list[RecordView]

    def __init__(self, store: Store, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label('Search: words, "a phrase", #id, tag:NAME')
            yield Input(value=self.query_text, id="query")
            yield Label("", id="count")
            yield OptionList(id="results")
            yield Label(
                "Enter or ↓ to the results · Enter opens one · Esc closes",
                id="keys",
                classes="prompt-keys",
            )

    def on_mount(self) -> None:
        if self.query_text:
            self._search(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_results()

    @work(thread=True, exclusive=True, group="search")
    @reports_failure
    def _search(self, query: str) -> None:
        self.post_message(self.Found(query, search_records(self.store, query, limit=200)))

    def on_search_screen_found(self, message: Found) -> None:
        results = self.query_one(OptionList)
        results.clear_options()
        for r in message.records:
            year = f" ({r['year']})" if r["year"] else ""
            results.add_option(
                Option(
                    safe_text(f"#{r['id']}  {r['title'] or '(no title)'}{year}", single_line=True),
                    str(r["id"]),
                )
            )
        n = len(message.records)
        more = "+" if n == 200 else ""
        self.query_one("#count", Label).update(
            f"{n}{more} record{'' if n == 1 else 's'}" if message.query.strip() else ""
        )

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = results.highlighted or 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
