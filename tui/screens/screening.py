"""Title/abstract screening: one record at a time, decided by a single key.

The decision is committed (in a worker thread) before the next record is shown; the
worker posts `RecordLoaded`, and the handler updates the widgets."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from review import annotation, service, settings
from review.db import Store
from review.errors import LitsiftError
from tui.screens.criteria import CriteriaScreen
from tui.screens.keywords import KeywordsEditor
from tui.screens.reason_picker import ReasonPicker
from tui.screens.search import SearchScreen
from tui.screens.text_prompt import TextPrompt
from tui.widgets.record_view import RecordView


@dataclass
class Loaded:
    record: dict[str, Any] | None
    progress: service.Progress


class ScreeningScreen(Screen[None]):
    """Screen records at one stage for one reviewer."""

    CSS_PATH = "screening.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "decide('include')", "Include", id="screening.include"),
        Binding("e", "decide('exclude')", "Exclude", id="screening.exclude"),
        Binding("m", "decide('maybe')", "Maybe", id="screening.maybe"),
        Binding("s", "skip", "Skip", id="screening.skip"),
        Binding("r", "not_retrieved", "Not retrieved", id="screening.not_retrieved"),
        Binding("a", "attach", "Attach PDF", id="screening.attach"),
        Binding("u", "undo", "Undo", id="screening.undo"),
        Binding("n", "note", "Note", id="screening.note", show=False),
        Binding("t", "tag", "Tag", id="screening.tag", show=False),
        Binding("slash", "search", "Search", id="screening.search", show=False),
        Binding("c", "criteria", "Criteria", id="screening.criteria", show=False),
        Binding("k", "keywords", "Edit keywords", id="screening.keywords", show=False),
        Binding("x", "start_check", "Random check", id="screening.random_check", show=False),
        Binding("question_mark", "app.show_help_panel", "Keys", id="screening.help"),
        Binding("escape,q", "app.pop_screen", "Back", id="screening.back"),
    ]

    class RecordLoaded(Message):
        """A worker fetched the record to show next (None: nothing left)."""

        def __init__(self, loaded: Loaded, note: str = "") -> None:
            super().__init__()
            self.loaded = loaded
            self.note = note

    class RankerReady(Message):
        """The ranking model of this stage is built (features computed, decisions known)."""

        def __init__(self, ranker: Any) -> None:
            super().__init__()
            self.ranker = ranker

    class AdviceReady(Message):
        """A worker computed the stopping advice (screening.recall.StoppingAdvice)."""

        def __init__(self, advice: Any) -> None:
            super().__init__()
            self.advice = advice

    class KeywordsSaved(Message):
        """The review's keywords were changed and stored."""

        def __init__(self, keywords: dict[str, list[str]]) -> None:
            super().__init__()
            self.keywords = keywords

    class Annotated(Message):
        """A worker changed the notes, tags or attachments of a record."""

        def __init__(self, record_id: int, annotations: list[Any], note: str) -> None:
            super().__init__()
            self.record_id = record_id
            self.annotations = annotations
            self.note = note

    class Failed(Message):
        """A worker's service call failed with a message for the reviewer."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, store: Store, reviewer: str, stage: str = "title-abstract", *, rank: bool = True
    ) -> None:
        super().__init__()
        self.rank = rank
        self.store = store
        self.reviewer = reviewer
        self.stage = stage
        self.current: dict[str, Any] | None = None
        self.reasons: list[str] = list(settings.DEFAULT_REASONS)
        self.skipped: list[int] = []
        self.busy = False
        self.ranker: Any = None  # screening.service.ReviewRanker once built
        self._progress: service.Progress | None = None
        self.advice: Any = None  # screening.recall.StoppingAdvice, once computed
        self._pressed_at = 0.0
        self.latencies_ms: list[float] = []  # key press to next record shown (for bench/)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static(id="stopping")
        yield RecordView(id="record")
        yield Footer()

    def on_mount(self) -> None:
        protocol = settings.protocol(self.store)
        view = self.query_one(RecordView)
        view.include = list(protocol.keywords.include)
        view.exclude = list(protocol.keywords.exclude)
        self.reasons = list(protocol.exclusion_reasons or settings.DEFAULT_REASONS)
        self.app.sub_title = f"{self.stage} · {self.reviewer}"
        self.busy = True
        self._load()
        if self.rank:
            self._open_ranker()

    def on_unmount(self) -> None:
        if self.ranker is not None:
            self.ranker.close()

    # --- workers: database work off the UI thread -----------------------------------------

    def _fetch(self) -> Loaded:
        from screening import service as screening_service

        record = screening_service.next_record(
            self.store,
            stage=self.stage,
            reviewer=self.reviewer,
            ranker=self.ranker,
            skip=self.skipped,
        )
        progress = service.screening_progress(self.store, stage=self.stage, reviewer=self.reviewer)
        return Loaded(self._with_annotations(record), progress)

    def _with_annotations(self, record: service.RecordView | None) -> dict[str, Any] | None:
        if record is None:
            return None
        return {
            **record.to_dict(),
            "annotations": annotation.list_annotations(self.store, record.id),
        }

    @work(thread=True, group="ranker")
    def _open_ranker(self) -> None:
        """Build features and the model in the background; until then records come in
        import order."""
        from screening import service as screening_service

        try:
            ranker = screening_service.open_ranker(
                self.store, reviewer=self.reviewer, stage=self.stage
            )
        except Exception as e:  # ranking is a help, never a reason to stop screening
            self.post_message(self.Failed(f"ranking unavailable ({e}); using import order"))
            return
        self.post_message(self.RankerReady(ranker))

    @work(thread=True, exclusive=True, group="advice")
    def _advise(self) -> None:
        """The recall estimate, off the path from key to next record (it reads every
        decision of the reviewer)."""
        from screening import service as screening_service

        advice = screening_service.stopping_advice(
            self.store, stage=self.stage, reviewer=self.reviewer
        )
        self.post_message(self.AdviceReady(advice))

    @work(thread=True, exclusive=True, group="db")
    def _start_check(self) -> None:
        from screening import service as screening_service

        try:
            check = screening_service.start_check(
                self.store, stage=self.stage, reviewer=self.reviewer
            )
        except LitsiftError as e:
            self.post_message(self.Failed(str(e)))
            return
        self.post_message(
            self.RecordLoaded(self._fetch(), f"random check: {len(check.pool)} records drawn")
        )

    @work(thread=True, exclusive=True, group="db")
    def _load(self, note: str = "") -> None:
        self.post_message(self.RecordLoaded(self._fetch(), note))

    @work(thread=True, exclusive=True, group="db")
    def _decide(self, record_id: int, label: str, reason: str = "") -> None:
        try:
            service.record_decision(
                self.store,
                record_id,
                label,
                stage=self.stage,
                reviewer=self.reviewer,
                reason=reason,
            )
        except LitsiftError as e:
            self.post_message(self.Failed(str(e)))
            return
        if self.ranker is not None:
            self.ranker.decide(record_id, label)  # retrains in the ranker's own thread
        self.post_message(self.RecordLoaded(self._fetch(), f"#{record_id}: {label}"))

    @work(thread=True, exclusive=True, group="db")
    def _undo(self) -> None:
        try:
            d = service.undo_decision(self.store, stage=self.stage, reviewer=self.reviewer)
        except LitsiftError as e:
            self.post_message(self.Failed(str(e)))
            return
        if self.ranker is not None:
            self.ranker.decide(d.record_id, None)
        record = self._with_annotations(service.get_record(self.store, d.record_id))
        progress = service.screening_progress(self.store, stage=self.stage, reviewer=self.reviewer)
        self.post_message(self.RecordLoaded(Loaded(record, progress), f"undone: #{d.record_id}"))

    @work(thread=True, exclusive=True, group="db")
    def _open(self, record_id: int) -> None:
        """Show a record found by search (a decision on it then counts like any other)."""
        try:
            record = self._with_annotations(service.get_record(self.store, record_id))
        except LitsiftError as e:
            self.post_message(self.Failed(str(e)))
            return
        progress = service.screening_progress(self.store, stage=self.stage, reviewer=self.reviewer)
        self.post_message(self.RecordLoaded(Loaded(record, progress), f"opened #{record_id}"))

    @work(thread=True, group="annotate")
    def _annotate(self, record_id: int, kind: str, value: str) -> None:
        try:
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
            else:
                a = annotation.attach(
                    self.store, record_id, value, reviewer=self.reviewer, stage=self.stage
                )
                note = f"attached {a.value}"
        except LitsiftError as e:
            self.post_message(self.Failed(str(e)))
            return
        current = annotation.list_annotations(self.store, record_id)
        self.post_message(self.Annotated(record_id, current, note))

    @work(thread=True, group="keywords")
    def _save_keywords(self, include: list[str], exclude: list[str]) -> None:
        keywords = service.set_keywords(self.store, include, exclude, actor=self.reviewer)
        self.post_message(self.KeywordsSaved(keywords))

    # --- message handlers: the only place state and widgets change ------------------------

    def on_screening_screen_record_loaded(self, message: RecordLoaded) -> None:
        loaded = message.loaded
        self.current = loaded.record
        if self.current is None and self.skipped:
            self.skipped.clear()  # come back to the skipped ones
            self._load("back to skipped records")
            return
        self._show_progress(loaded.progress, message.note)
        self.query_one(RecordView).show(self.current)
        self.busy = False
        if self._pressed_at:
            self.latencies_ms.append((time.perf_counter() - self._pressed_at) * 1000)
            self._pressed_at = 0.0
        self._advise()

    def on_screening_screen_advice_ready(self, message: AdviceReady) -> None:
        a = message.advice
        self.advice = a
        hint = ""
        if a.phase == "ranking" and a.run >= a.run_needed:
            hint = " — press x to start it"
        self.query_one("#stopping", Static).update(a.message + hint)
        self.query_one("#stopping", Static).set_class(a.phase == "safe", "safe")

    def _show_progress(self, p: service.Progress, note: str = "") -> None:
        self._progress = p
        self.query_one(ProgressBar).update(total=max(p.total, 1), progress=p.screened)
        order = "ranked" if self.ranker is not None else "import order"
        if self.advice is not None and self.advice.phase in ("check", "safe"):
            order = "random check"
        self.query_one("#status", Static).update(
            f"{p.screened}/{p.total} screened · {p.include} included · {p.exclude} excluded"
            f" · {p.maybe} maybe · {order}" + (f"   [{note}]" if note else "")
        )

    def on_screening_screen_ranker_ready(self, message: RankerReady) -> None:
        if not self.is_mounted:
            message.ranker.close()
            return
        self.ranker = message.ranker
        if self._progress is not None:  # the record on screen stays; the next is ranked
            self._show_progress(self._progress, "next records ranked by relevance")

    def on_screening_screen_annotated(self, message: Annotated) -> None:
        if self.current is not None and self.current["id"] == message.record_id:
            self.current["annotations"] = message.annotations
            self.query_one(RecordView).show_annotations(message.annotations)
        self.notify(message.note, timeout=3)

    def on_screening_screen_keywords_saved(self, message: KeywordsSaved) -> None:
        view = self.query_one(RecordView)
        view.include, view.exclude = message.keywords["include"], message.keywords["exclude"]
        view.show(self.current)
        n = len(view.include) + len(view.exclude)
        self.notify(f"{n} keywords saved with the review", timeout=3)

    def on_screening_screen_failed(self, message: Failed) -> None:
        self.notify(message.error, severity="error")
        self.busy = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`r` (not retrieved) and `a` (attach the full text) belong to the full-text stage."""
        if action in ("not_retrieved", "attach"):
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
        self.skipped.append(self.current["id"])
        self._load(f"skipped #{self.current['id']}")

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

    def action_attach(self) -> None:
        if self.current is not None and self.stage == "full-text":
            self._ask(f"Full text of #{self.current['id']}: a file path or a URL", "attachment")

    def action_search(self) -> None:
        def chosen(record_id: int | None) -> None:
            if record_id:
                self.busy = True
                self._open(record_id)

        self.app.push_screen(SearchScreen(self.store), chosen)

    def action_criteria(self) -> None:
        self.app.push_screen(CriteriaScreen(settings.protocol(self.store).model_dump()))

    def action_keywords(self) -> None:
        view = self.query_one(RecordView)

        def saved(result: tuple[list[str], list[str]] | None) -> None:
            if result is not None:
                self._save_keywords(*result)

        self.app.push_screen(KeywordsEditor(view.include, view.exclude), saved)

    def action_start_check(self) -> None:
        """Begin the random check of the stopping rule: the rest is served in random order."""
        if self.busy:
            return
        self.busy = True
        self._start_check()

    def action_undo(self) -> None:
        if self.busy:
            return
        self.busy = True
        self._undo()
