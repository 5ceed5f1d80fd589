"""Title/abstract screening: one record at a time, decided by a single key.

The decision is committed (in a worker thread) before the next record is shown; the
worker posts `RecordLoaded`, and the handler updates the widgets."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import ProgressBar, Static

from review import annotation, service, settings
from review.annotation import AnnotationView
from review.db import Store
from review.records import RecordView
from screening.recall import StoppingAdvice
from screening.service import ReviewRanker
from screening.session import Card, ScreeningSession, check_question
from tui.keys import screen_bindings
from tui.safe_text import safe_text, visible
from tui.screens.base import LitsiftScreen
from tui.screens.confirm_prompt import ConfirmPrompt
from tui.screens.criteria import CriteriaScreen
from tui.screens.keywords import KeywordsEditor
from tui.screens.reason_picker import ReasonPicker
from tui.screens.search import SearchScreen
from tui.screens.text_prompt import TextPrompt
from tui.widgets.recall_sparkline import RecallSparkline
from tui.widgets.record_view import RecordView as RecordPanel
from tui.worker_errors import WorkerFailed, describe, reports_failure

NOTHING_YET = {  # what an empty stage says (home: o imports a file)
    "title-abstract": "No records to screen yet: import your search results from home (o).",
    "full-text": "No records at the full-text stage yet: the records included at "
    "title/abstract come here.",
}


class ScreeningScreen(LitsiftScreen):
    """Screen records at one stage for one reviewer: a thin front on `ScreeningSession`."""

    CSS_PATH = "screening.tcss"
    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("screening")

    @dataclass
    class Started(Message):
        """A worker read the protocol (keywords, reasons) and made the first card."""

        protocol: settings.Protocol
        card: Card

    @dataclass
    class CardReady(Message):
        """A worker made the card to show next (its record is None when nothing is left)."""

        card: Card

    @dataclass
    class RankerReady(Message):
        """The ranking model of this stage is built (features computed, decisions known)."""

        ranker: ReviewRanker

    @dataclass
    class AdviceReady(Message):
        """A worker computed the stopping advice."""

        advice: StoppingAdvice
        history: list[float] = field(default_factory=list)

    @dataclass
    class KeywordsSaved(Message):
        """The review's keywords were changed and stored."""

        keywords: dict[str, list[str]]

    @dataclass
    class Annotated(Message):
        """A worker changed the notes, tags or attachments of a record."""

        record_id: int
        annotations: list[AnnotationView]
        note: str

    def __init__(
        self, store: Store, reviewer: str, stage: str = "title-abstract", *, rank: bool = True
    ) -> None:
        super().__init__(store, reviewer, f"{stage} · {reviewer}")
        self.rank = rank
        self.stage = stage
        # the stopping advice is computed apart (`_advise`), off the key-to-record path
        self.session = ScreeningSession(store, reviewer, stage, advise=False)
        self.card: Card | None = None
        self.reasons: list[str] = list(settings.DEFAULT_REASONS)
        self.advice: StoppingAdvice | None = None
        self._pressed_at = 0.0
        self.latencies_ms: list[float] = []  # key press to next record shown (for bench/)

    @property
    def current(self) -> RecordView | None:
        """The record on show."""
        return None if self.card is None else self.card.record

    @property
    def ranker(self) -> ReviewRanker | None:
        """The live ranker, once built (until then records come in import order)."""
        return self.session.ranker

    def compose_body(self) -> ComposeResult:
        yield Static(id="status")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="stopping")
        yield RecallSparkline(id="recall-history")
        yield RecordPanel(id="record")

    def on_mount(self) -> None:
        self.busy = True
        self._start()
        if self.rank:
            self._open_ranker()

    def on_unmount(self) -> None:
        self.session.close()

    # --- workers: database work off the UI thread; failures post WorkerFailed -------------

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _start(self) -> None:
        protocol = settings.protocol(self.store)
        self.post_message(self.Started(protocol, self.session.next()))

    @work(thread=True, group="ranker")
    def _open_ranker(self) -> None:
        """Build features and the model in the background; until then records come in
        import order. Ranking is a help, never a reason to stop screening."""
        try:
            ranker = self.session.build_ranker()
        except Exception as e:  # reported as a notice; screening goes on in import order
            self.post_message(WorkerFailed(f"ranking unavailable ({describe(e)}); import order"))
            return
        self.post_message(self.RankerReady(ranker))

    @work(thread=True, exclusive=True, group="advice")
    @reports_failure
    def _advise(self) -> None:
        """The recall estimate (it reads every decision of the reviewer)."""
        advice = self.session.advice()
        self.post_message(self.AdviceReady(advice, self.session.recall_history()))

    @work(thread=True, exclusive=True, group="db")
    @reports_failure
    def _step(self, step: Callable[[], Card]) -> None:
        """Run one step of the session (decide, skip, undo, open, check) and show its card."""
        self.post_message(self.CardReady(step()))

    def _decide(self, record_id: int, label: str, reason: str = "") -> None:
        self._step(partial(self.session.decide, label, record_id=record_id, reason=reason))

    @work(thread=True, group="annotate")
    @reports_failure
    def _annotate(self, record_id: int, kind: str, value: str) -> None:
        if kind == "note":
            annotation.add_note(
                self.store, record_id, value, reviewer=self.reviewer, stage=self.stage
            )
            note = "note saved"
        elif kind == "tag":
            added, a = annotation.toggle_tag(
                self.store, record_id, value, reviewer=self.reviewer, stage=self.stage
            )
            note = f"{'tagged' if added else 'untagged'} {a.value}"
        elif kind == "remove":
            a = annotation.remove_annotation(self.store, int(value), reviewer=self.reviewer)
            note = f"removed {'full text' if a.kind == 'attachment' else a.kind} {a.value}"
        else:
            a = annotation.attach(
                self.store, record_id, value, reviewer=self.reviewer, stage=self.stage
            )
            note = f"attached {a.value}"
        current = annotation.list_annotations(self.store, record_id)
        self.post_message(self.Annotated(record_id, current, note))

    @work(thread=True, group="keywords")
    @reports_failure
    def _save_keywords(self, include: list[str], exclude: list[str]) -> None:
        keywords = service.set_keywords(self.store, include, exclude, actor=self.reviewer)
        self.post_message(self.KeywordsSaved(keywords))

    @work(thread=True, group="criteria")
    @reports_failure
    def _show_criteria(self) -> None:
        protocol = settings.protocol(self.store).model_dump()
        self.app.call_from_thread(self.app.push_screen, CriteriaScreen(protocol))

    # --- message handlers: the only place state and widgets change ------------------------

    def on_screening_screen_started(self, message: Started) -> None:
        view = self.query_one(RecordPanel)
        view.include = list(message.protocol.keywords.include)
        view.exclude = list(message.protocol.keywords.exclude)
        self.reasons = list(message.protocol.exclusion_reasons or settings.DEFAULT_REASONS)
        self._show(message.card)

    def on_screening_screen_card_ready(self, message: CardReady) -> None:
        self._show(message.card)

    def _show(self, card: Card) -> None:
        self.card = card
        self._show_progress(card)
        empty = "Nothing left to screen at this stage."
        if card.progress.total == 0:
            empty = NOTHING_YET.get(self.stage, empty)
        self.query_one(RecordPanel).show(card.record, card.annotations, empty)
        for warning in card.warnings:
            self.notify(warning, severity="warning", markup=False)
        self.busy = False
        if self._pressed_at:
            self.latencies_ms.append((time.perf_counter() - self._pressed_at) * 1000)
            self._pressed_at = 0.0
        self._advise()

    def on_screening_screen_advice_ready(self, message: AdviceReady) -> None:
        a = message.advice
        self.advice = a
        hint = ""
        if a.phase == "ranking" and a.ready:
            hint = " — press x to start it"
        elif a.phase == "check":
            hint = " — x cancels it"
        self.query_one("#stopping", Static).update(safe_text(a.message + hint))
        self.query_one("#stopping", Static).set_class(a.phase == "safe", "safe")
        self.query_one(RecallSparkline).show_history(message.history)

    def _show_progress(self, card: Card, note: str | None = None) -> None:
        p = card.progress
        self.query_one(ProgressBar).update(total=max(p.total, 1), progress=p.screened)
        order = card.order
        if self.ranker is not None and order == "import order":
            order = "ranked"
        note = card.note if note is None else note
        self.query_one("#status", Static).update(
            safe_text(
                f"{p.screened}/{p.total} · {p.include} in · {p.exclude} out · {p.maybe} maybe"
                f" · {order}" + (f" · {note}" if note else "")
            )
        )

    def on_screening_screen_ranker_ready(self, message: RankerReady) -> None:
        if not self.is_mounted:
            message.ranker.close()
            return
        self.session.use_ranker(message.ranker)
        if self.card is not None and self.card.order != "random check":
            self._show_progress(self.card, "next records ranked by relevance")  # this one stays

    def on_screening_screen_annotated(self, message: Annotated) -> None:
        if self.card is not None and self.current and self.current.id == message.record_id:
            self.card = replace(self.card, annotations=tuple(message.annotations))
            self.query_one(RecordPanel).show_annotations(message.annotations)
        self.notify(visible(message.note), timeout=3, markup=False)

    def on_screening_screen_keywords_saved(self, message: KeywordsSaved) -> None:
        view = self.query_one(RecordPanel)
        view.include, view.exclude = message.keywords["include"], message.keywords["exclude"]
        if self.card is not None:
            view.show(self.card.record, self.card.annotations)
        n = len(view.include) + len(view.exclude)
        self.notify(f"{n} keyword{'s' if n != 1 else ''} saved with the review", timeout=3)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`r` (not retrieved) and `a` (attach the full text) belong to the full-text stage."""
        if action in ("not_retrieved", "attach", "open_full_text", "link_study"):
            return self.stage == "full-text"
        return True

    # --- actions ----------------------------------------------------------------------------

    def action_decide(self, label: str) -> None:
        if self.busy or self.current is None:
            return
        if label == "exclude" and self.stage == "full-text":
            record_id = self.current["id"]

            def chosen(reason: str | None) -> None:
                if reason:
                    self.busy = True
                    self._decide(record_id, "exclude", reason)

            self.app.push_screen(ReasonPicker(self.reasons), chosen)
            return
        self.busy = True
        self._pressed_at = time.perf_counter()
        self._decide(self.current["id"], label)

    def action_not_retrieved(self) -> None:
        """Full text: the report could not be obtained (PRISMA counts these apart)."""
        if self.busy or self.current is None or self.stage != "full-text":
            return
        self.busy = True
        self._decide(self.current["id"], "exclude", settings.NOT_RETRIEVED)

    def action_skip(self) -> None:
        if self.busy or self.current is None:
            return
        self.busy = True
        self._step(self.session.skip)

    def _ask(self, question: str, kind: str, **kw: Any) -> None:
        """Prompt for a line of text and store it as a `kind` annotation on the record."""
        if self.current is None:
            return
        record_id = self.current["id"]

        def answered(text: str | None) -> None:
            if text:
                self._annotate(record_id, kind, text)

        self.app.push_screen(TextPrompt(question, **kw), answered)

    def action_note(self) -> None:
        if self.current is not None:
            self._ask(f"Note on #{self.current['id']}:", "note")

    def action_tag(self) -> None:
        if self.current is not None:
            tags = [t for t, _ in annotation.all_tags(self.store)]
            self._ask(
                f"Tag #{self.current['id']} (a tag it has already is removed):",
                "tag",
                suggestions=tags,
                hint=("in use: " + ", ".join(tags[:12])) if tags else "",
            )

    def action_remove_note(self) -> None:
        """Take back one of your notes or attached full texts on this record (marked
        removed, as untagging is; the audit log keeps it)."""
        if self.card is None or self.current is None:
            return
        record_id = self.current.id
        mine = {
            visible(
                f"{'full text' if a.kind == 'attachment' else a.kind}: {a.value}", single_line=True
            ): a.id
            for a in self.card.annotations
            if a.kind in ("note", "attachment") and a.reviewer == self.reviewer
        }
        if not mine:
            self.notify(f"No note or full text of yours on #{record_id} to remove.", timeout=3)
            return

        def chosen(label: str | None) -> None:
            if label:
                self._annotate(record_id, "remove", str(mine[label]))

        self.app.push_screen(ReasonPicker(list(mine), prompt="Remove which?"), chosen)

    def action_attach(self) -> None:
        if self.current is not None and self.stage == "full-text":
            self._ask(f"Full text of #{self.current['id']}: a file path or a URL", "attachment")

    def action_open_full_text(self) -> None:
        """Full text: open the record's attached full text in the system viewer."""
        from tui.screens.full_text_opener import open_full_text

        if self.card is None or self.current is None or self.stage != "full-text":
            return
        files = [a.value for a in self.card.annotations if a.kind == "attachment"]
        open_full_text(
            self, files, none=f"No full text attached to #{self.current.id} (a attaches one)."
        )

    def action_link_study(self) -> None:
        """Full text: this record and others are reports of one study (PRISMA counts both)."""
        if self.current is None or self.stage != "full-text":
            return
        record_id = self.current["id"]

        def answered(text: str | None) -> None:
            ids = [int(t) for t in (text or "").replace(",", " ").replace("#", " ").split()
                   if t.isdigit()]  # fmt: skip
            if ids:
                self._link_study([record_id, *ids])

        self.app.push_screen(
            TextPrompt(f"Reports of the same study as #{record_id} (record ids):"), answered
        )

    @work(thread=True, group="annotate")
    @reports_failure
    def _link_study(self, ids: list[int]) -> None:
        from review.studies import link_reports

        study = link_reports(self.store, ids, actor=self.reviewer)
        self.app.call_from_thread(
            self.notify, f"study {study.id}: reports " + ", ".join(f"#{r}" for r in study.reports)
        )

    def action_search(self) -> None:
        def chosen(record_id: int | None) -> None:
            if record_id:
                self.busy = True
                self._step(partial(self.session.open, record_id))

        self.app.push_screen(SearchScreen(self.store), chosen)

    def action_criteria(self) -> None:
        self._show_criteria()

    def action_keywords(self) -> None:
        view = self.query_one(RecordPanel)

        def saved(result: tuple[list[str], list[str]] | None) -> None:
            if result is not None:
                self._save_keywords(*result)

        self.app.push_screen(KeywordsEditor(view.include, view.exclude), saved)

    def action_start_check(self) -> None:
        """`x`: begin the random check of the stopping rule (the rest is served in random
        order), or cancel the one under way; asks first unless the rule calls for it now."""
        if self.busy:
            return
        under_way = self.card is not None and self.card.order == "random check"
        step = self.session.cancel_check if under_way else self.session.start_check
        question = check_question(self.advice, under_way)

        def answered(yes: bool | None) -> None:
            if yes and not self.busy:
                self.busy = True
                self._step(step)

        if question is None:
            answered(True)
        else:
            self.app.push_screen(ConfirmPrompt(question), answered)

    def action_undo(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._step(self.session.undo)
