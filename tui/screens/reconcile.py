"""ReconcileScreen: the disagreements between a study's two extractions, field by field
(numbers within a tolerance, choice sets as sets, agreed values carried to the consensus);
`1` or `2` takes one reviewer's value, `t` (or Enter) types a consensus value; each decision
is recorded with who decided (the app's reviewer). When nothing is left open the consensus
is marked reconciled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Static

from extraction import reconcile as rec
from extraction.forms import format_value
from extraction.storage import FormVersion
from extraction.workbench import decide, reconciliation
from review.db import Store
from tui.keys import screen_bindings
from tui.safe_text import safe_markup, safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.text_prompt import TextPrompt
from tui.worker_errors import reports_failure


class ReconcileScreen(LitsiftScreen):
    """Reconcile one study as the app's reviewer."""

    CSS_PATH = "extraction.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("reconcile")
    FAILED_IN = "reconcile-summary"
    FAILED_SAYS = "Cannot reconcile study {screen.study}:"

    @dataclass
    class Compared(Message):
        """A worker compared the extractions (after a decision, when `note` says which)."""

        result: rec.Reconciliation
        note: str = ""

    def __init__(self, store: Store, reviewer: str, form: FormVersion, study: int) -> None:
        super().__init__(store, reviewer, f"reconcile · {reviewer}")
        self.fv = form
        self.study = study
        self.result: rec.Reconciliation | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Comparing the extractions…", id="reconcile-summary")
        yield DataTable(id="disagreements", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._compare()

    @work(thread=True, exclusive=True, group="reconcile")
    @reports_failure
    def _compare(self, note: str = "") -> None:
        result = reconciliation(self.store, self.fv, self.study, self.reviewer)
        self.post_message(self.Compared(result, note))

    @work(thread=True, exclusive=True, group="reconcile")
    @reports_failure
    def _decide(self, d: rec.Disagreement, value: Any) -> None:
        v = decide(self.store, self.fv, self.study, d.field, value, by=self.reviewer, row=d.row)
        where = f"{d.field}[{d.row}]" if d.row else d.field
        note = f"{where} = {format_value(v)} (decided by {self.reviewer})"
        result = reconciliation(self.store, self.fv, self.study, self.reviewer)
        self.post_message(self.Compared(result, note))

    def loaded(self) -> bool:
        return self.result is not None

    def on_reconcile_screen_compared(self, message: Compared) -> None:
        self.busy = False
        self.result = r = message.result
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        table.add_columns(
            "field", *(safe_text(p, single_line=True) for p in r.reviewers), "consensus"
        )
        for d in r.disagreements:
            label = self.fv.form.field(d.field).label
            where = f"{label} row {d.row}" if d.row else label
            cells = [
                safe_text(format_value(d.values.get(p)) or "—", single_line=True)
                for p in r.reviewers
            ]
            decided = (
                Text.assemble(
                    safe_text(format_value(d.decided), "bold green", single_line=True),
                    (f" ({d.decided_by})", "dim"),
                )
                if d.decided_by
                else Text("open", "yellow")
            )
            table.add_row(safe_text(where, single_line=True), *cells, decided)
        if r.disagreements:
            table.move_cursor(row=min(row, len(r.disagreements) - 1))
        left = len(r.open)
        self.query_one("#reconcile-summary", Static).update(
            Text.assemble(
                (f"Study {r.study}", "bold"),
                safe_text(f": {' vs '.join(r.reviewers)} · {r.agreed} agreed · "),
                f"{len(r.disagreements)} disagreement{'s' if len(r.disagreements) != 1 else ''}"
                f", {left} open · consensus ",
                (r.status.replace("_", " "), "bold green" if r.status == "reconciled" else "bold"),
                "\n1 / 2 take a reviewer's value · t types another",
            )
        )
        if message.note:
            self.notify(visible(message.note), timeout=4, markup=False)

    def selected(self) -> rec.Disagreement | None:
        """The disagreement under the cursor."""
        if self.result is None:
            return None
        row = self.query_one(DataTable).cursor_row
        ds = self.result.disagreements
        return ds[row] if 0 <= row < len(ds) else None

    def action_take(self, which: int) -> None:
        d = self.selected()
        if d is None or self.result is None or self.busy:
            return
        who = self.result.reviewers[which]
        value = d.values.get(who)
        if value is None:
            self.notify(
                f"{who} left it empty: type a value (t) instead", severity="warning", markup=False
            )
            return
        self.busy = True
        self._decide(d, value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_type_value()

    def action_type_value(self) -> None:
        d = self.selected()
        if d is None or self.busy:
            return
        f = self.fv.form.field(d.field)
        hint = ", ".join(c.value for c in f.choices) if f.choices else f.help

        def typed(text: str | None) -> None:
            if text:
                self.busy = True
                self._decide(d, text)

        start = format_value(d.decided if d.decided_by else next(iter(d.values.values())))
        self.app.push_screen(
            TextPrompt(
                safe_markup(f"Consensus value of {f.label}:"),
                visible(start, single_line=True),
                hint=safe_markup(hint, single_line=True),
            ),
            typed,
        )
