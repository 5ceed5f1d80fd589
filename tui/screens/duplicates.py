"""Duplicate review: the possible duplicates deduplication queued, two records side by side
with the fields that differ marked; y same, n different, s skip, u undo the last merge."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from review.db import Store
from review.errors import LitsiftError

SHOWN = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
         "type", "source_key", "abstract")  # fmt: skip


def _value(record: dict[str, Any], name: str) -> str:
    v = record.get(name)
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return "" if v is None else str(v)


def side_by_side(a: dict[str, Any], b: dict[str, Any]) -> Table:
    """A table of the two records' fields; fields that differ are marked in yellow."""
    table = Table(box=None, expand=True, show_header=True, pad_edge=False)
    table.add_column("", style="bold", no_wrap=True, width=10)
    table.add_column(f"#{a['id']}", ratio=1)
    table.add_column(f"#{b['id']}", ratio=1)
    for name in SHOWN:
        va, vb = _value(a, name), _value(b, name)
        if not va and not vb:
            continue
        if name == "abstract":
            va, vb = va[:600], vb[:600]
        style = "yellow" if va.casefold() != vb.casefold() else ""
        table.add_row(name, va, vb, style=style)
    return table


class DuplicatesScreen(Screen[None]):
    """Work through the dedup queue one pair at a time."""

    CSS_PATH = "duplicates.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "decide('same')", "Same", id="duplicates.same"),
        Binding("n", "decide('different')", "Different", id="duplicates.different"),
        Binding("s", "skip", "Skip", id="duplicates.skip"),
        Binding("u", "undo", "Undo", id="duplicates.undo"),
        Binding("question_mark", "app.toggle_keys", "Keys", id="duplicates.help"),
        Binding("escape,q", "app.pop_screen", "Back", id="duplicates.back"),
    ]

    class Loaded(Message):
        """A worker fetched the queue."""

        def __init__(self, items: list[Any], note: str = "") -> None:
            super().__init__()
            self.items = items
            self.note = note

    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__()
        self.store = store
        self.reviewer = reviewer
        self.items: list[Any] = []
        self.skipped: set[int] = set()
        self.done: list[tuple[int, int, str, int]] = []  # (a, b, verdict, cluster) to undo
        self.busy = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="dup-status")
        with VerticalScroll():
            yield Static(id="dup-pair")
        yield Footer()

    def on_mount(self) -> None:
        self._load()

    def _post_queue(self, note: str = "") -> None:
        """(In a worker) fetch the queue and post it."""
        from review.dedup.queries import list_queue

        self.post_message(self.Loaded(list_queue(self.store, limit=None), note))

    @work(thread=True, exclusive=True, group="dedup")
    def _load(self, note: str = "") -> None:
        self._post_queue(note)

    @work(thread=True, exclusive=True, group="dedup")
    def _decide(self, a: int, b: int, verdict: str) -> None:
        from review.dedup.service import decide_pair

        try:
            cluster = decide_pair(self.store, f"#{a}", f"#{b}", verdict, actor=self.reviewer)
        except LitsiftError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            self._post_queue()
            return
        self.done.append((a, b, verdict, cluster))
        self._post_queue(f"#{a} and #{b}: {verdict}")

    @work(thread=True, exclusive=True, group="dedup")
    def _undo(self) -> None:
        """Undo this session's last verdict: a merge is dissolved, `different` re-queued."""
        from review.dedup.service import reopen_pair, undo_cluster

        a, b, verdict, cluster = self.done[-1]
        try:
            if verdict == "same" and cluster:
                undo_cluster(self.store, cluster, actor=self.reviewer)
            else:
                reopen_pair(self.store, f"#{a}", f"#{b}", actor=self.reviewer)
        except LitsiftError as e:
            self.app.call_from_thread(self.notify, str(e), severity="error")
            self._post_queue()
            return
        self.done.pop()
        self._post_queue(f"undone: #{a} and #{b} back in the queue")

    def on_duplicates_screen_loaded(self, message: Loaded) -> None:
        self.items = [i for i in message.items if i.pair_id not in self.skipped]
        status = self.query_one("#dup-status", Static)
        pair = self.query_one("#dup-pair", Static)
        if not self.items:
            status.update(f"no possible duplicates left to check   {message.note}")
            pair.update("Deduplication has nothing queued for a person.")
        else:
            item, n = self.items[0], len(self.items)
            status.update(
                f"{n} pair{'s' if n != 1 else ''} to check · score {item.score:.3f} · {item.reason}"
                + (f"   [{message.note}]" if message.note else "")
            )
            pair.update(side_by_side(item.record_a, item.record_b))
        self.busy = False

    def action_decide(self, verdict: str) -> None:
        if self.busy or not self.items:
            return
        self.busy = True
        item = self.items[0]
        self._decide(item.record_a["id"], item.record_b["id"], verdict)

    def action_undo(self) -> None:
        if self.busy:
            return
        if not self.done:
            self.notify("nothing to undo in this session (see `litsift dedup clusters`)")
            return
        self.busy = True
        self._undo()

    def action_skip(self) -> None:
        if self.busy or not self.items:
            return
        self.skipped.add(self.items[0].pair_id)
        self.busy = True
        self._load("skipped")
