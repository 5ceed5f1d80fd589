"""Duplicate review: the possible duplicates deduplication queued, two records side by side
with the fields that differ marked; y same, n different, s skip, u undo the last merge, r
find duplicates among the records imported since deduplication last ran."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from review.db import Store
from review.dedup.pending import records_not_deduplicated
from review.dedup.queries import QueueItem
from review.dedup.review_queue import DedupCard, DedupQueue
from review.dedup.service import run_dedup
from tui.keys import screen_bindings
from tui.safe_text import safe_text
from tui.screens.base import LitsiftScreen
from tui.worker_errors import WorkerFailed, reports_failure

SHOWN = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "pmid",
         "type", "source_key", "abstract")  # fmt: skip


def _value(record: dict[str, Any], name: str) -> str:
    v = record.get(name)
    if isinstance(v, list):
        return "; ".join(str(x) for x in v)
    return "" if v is None else str(v)


def side_by_side(a: dict[str, Any], b: dict[str, Any]) -> Table:
    """A table of the two records' fields, whole (the screen scrolls); fields that differ
    are marked in yellow."""
    table = Table(box=None, expand=True, show_header=True, pad_edge=False)
    table.add_column("", style="bold", no_wrap=True, width=10)
    table.add_column(f"#{a['id']}", ratio=1)
    table.add_column(f"#{b['id']}", ratio=1)
    for name in SHOWN:
        va, vb = _value(a, name), _value(b, name)
        if not va and not vb:
            continue
        style = "yellow" if va.casefold() != vb.casefold() else ""
        table.add_row(name, safe_text(va), safe_text(vb), style=style)
    return table


class DuplicatesScreen(LitsiftScreen):
    """Work through the dedup queue one pair at a time."""

    CSS_PATH = "duplicates.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("duplicates")

    @dataclass
    class Loaded(Message):
        """A worker made the card to show (the first pair waiting, or none)."""

        card: DedupCard
        unchecked: int = 0  # records no deduplication run has compared yet

    def __init__(self, store: Store, reviewer: str) -> None:
        super().__init__(store, reviewer, f"duplicates · {reviewer}")
        self.queue = DedupQueue(store, reviewer)
        self.card: DedupCard | None = None
        self.busy = True

    @property
    def items(self) -> list[QueueItem]:
        """The pair on show (a list for older callers; empty when none is waiting)."""
        return [] if self.card is None or self.card.item is None else [self.card.item]

    def compose_body(self) -> ComposeResult:
        yield Static(id="dup-status")
        with VerticalScroll():
            yield Static(id="dup-pair")

    def on_mount(self) -> None:
        self._step(self.queue.card)

    @work(thread=True, exclusive=True, group="dedup")
    @reports_failure
    def _step(self, step: Callable[[], DedupCard]) -> None:
        """Run one step of the queue (read, decide, undo, skip) and show the card it makes."""
        card = step()
        self.post_message(self.Loaded(card, records_not_deduplicated(self.store)))

    def _find(self) -> DedupCard:
        """(In the worker) run deduplication on the records new since its last run."""
        s = run_dedup(self.store, actor=self.reviewer)
        return self.queue.card(
            f"compared {s.new_records} records: {s.duplicates_removed} duplicates merged in "
            f"all, {s.queued} pair{'' if s.queued == 1 else 's'} for a person"
        )

    def on_duplicates_screen_loaded(self, message: Loaded) -> None:
        card = self.card = message.card
        status = self.query_one("#dup-status", Static)
        pair = self.query_one("#dup-pair", Static)
        note = f" · {card.note}" if card.note else ""
        if card.item is None:
            status.update(safe_text(f"no possible duplicates left to check{note}"))
            done = "Deduplication has nothing queued for a person."
            n = message.unchecked
            if n:
                done += (
                    f"\n{n} record{' has' if n == 1 else 's have'} not been compared yet "
                    "(imported since deduplication last ran): press r to find duplicates."
                )
            pair.update(done)
        else:
            item, n = card.item, card.waiting
            status.update(
                safe_text(
                    f"{n} pair{'s' if n != 1 else ''} to check · score {item.score:.3f} · "
                    f"{item.reason}{note}"
                )
            )
            pair.update(side_by_side(item.record_a, item.record_b))
        self.busy = False

    def on_worker_failed(self, message: WorkerFailed) -> None:
        self._step(self.queue.card)  # the app shows the failure; the queue is read again

    def action_decide(self, verdict: str) -> None:
        if self.busy or not self.items:
            return
        self.busy = True
        item = self.items[0]
        self._step(partial(self.queue.decide, verdict, item.record_a["id"], item.record_b["id"]))

    def action_undo(self) -> None:
        if self.busy:
            return
        if self.card is None or not self.card.can_undo:
            self.notify("nothing to undo in this session (see `litsift dedup clusters`)")
            return
        self.busy = True
        self._step(self.queue.undo)

    def action_find(self) -> None:
        """`r`: find duplicates among the records imported since the last run."""
        if self.busy:
            return
        self.busy = True
        self.query_one("#dup-status", Static).update("finding duplicates… (comparing records)")
        self._step(self._find)

    def action_skip(self) -> None:
        if self.busy or not self.items:
            return
        self.busy = True
        self._step(self.queue.skip)
