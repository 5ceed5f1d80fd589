"""`ScreeningSession`: one reviewer screening one stage — the use-case both front ends drive.

The CLI (`litsift next/decide/undo`) and the app's screening screen call the same methods and
render the `Card` they return: the record to show, its notes and tags, the reviewer's progress
and (when asked for) the stopping advice. A session remembers the records skipped for now and
holds the live ranker when ranking is on; it does no UI work and prints nothing.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from review import annotation, decision_service, queue, records, settings
from review.annotation import AnnotationView
from review.db import Store
from review.decisions import DecisionView, check_stage
from review.queue import Progress
from review.records import RecordView
from screening import service
from screening.recall import StoppingAdvice
from screening.recall_history import recall_estimates

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Card:
    """What a reviewer sees after each step: the record (None when the stage is done), its
    annotations, progress, the stopping advice when computed, and what just happened."""

    record: RecordView | None
    progress: Progress
    annotations: tuple[AnnotationView, ...] = ()
    advice: StoppingAdvice | None = None
    decision: DecisionView | None = None  # the decision just made or undone
    note: str = ""  # one line on what just happened, e.g. "#12: include"
    warnings: tuple[str, ...] = field(default=())
    order: str = "import order"  # "ranked", "import order" or "random check"

    def to_json(self) -> Any:
        """JSON-ready data (`record` as a plain dict, or None; times as ISO 8601 text)."""
        data = {
            "record": None if self.record is None else self.record.to_dict(),
            "annotations": [asdict(a) for a in self.annotations],
            "progress": asdict(self.progress),
            "advice": None if self.advice is None else self.advice.to_dict(),
            "decision": None if self.decision is None else asdict(self.decision),
            "note": self.note,
            "warnings": list(self.warnings),
            "order": self.order,
        }
        return _plain(data)


class ScreeningSession:
    """One reviewer screening one stage: `next()`, `decide()`, `undo()`, `skip()` each return
    the `Card` to show. `advise` adds the stopping advice to every card (it reads every
    decision of the reviewer; the app computes it apart, off the key-to-record path)."""

    def __init__(
        self, store: Store, reviewer: str, stage: str = "title-abstract", *, advise: bool = True
    ) -> None:
        self.store = store
        self.reviewer = reviewer
        self.stage = check_stage(stage)
        self.advise = advise
        self.ranker: service.ReviewRanker | None = None
        self.skipped: list[int] = []
        self.current: RecordView | None = None

    # --- the ranker ---------------------------------------------------------------------------

    def needs_ranker(self) -> bool:
        """Whether a ranking would serve anything (some record is still to screen)."""
        return (
            queue.first_undecided(self.store, stage=self.stage, reviewer=self.reviewer) is not None
        )

    def build_ranker(self, *, background: bool = True) -> service.ReviewRanker:
        """Build this stage's ranking model (slow the first time: features are computed and
        kept in the review). Thread-safe to call from a worker; attach it with `use_ranker`."""
        return service.open_ranker(
            self.store, reviewer=self.reviewer, stage=self.stage, background=background
        )

    def use_ranker(self, ranker: service.ReviewRanker | None) -> None:
        """Serve the next records by `ranker` (None: import order)."""
        self.ranker = ranker

    def close(self) -> None:
        """Stop the ranker's background training, if any."""
        if self.ranker is not None:
            self.ranker.close()
            self.ranker = None

    # --- steps --------------------------------------------------------------------------------

    def next(self, note: str = "", *, protocol: settings.Protocol | None = None) -> Card:
        """The next record to screen (skipped ones come back when nothing else is left);
        `protocol`: the review's protocol when this step has read it already."""
        record = service.next_record(
            self.store,
            stage=self.stage,
            reviewer=self.reviewer,
            ranker=self.ranker,
            skip=self.skipped,
            protocol=protocol,
        )
        if record is None and self.skipped:
            self.skipped.clear()
            return self.next("back to skipped records", protocol=protocol)
        return self._card(record, note=note)

    def decide(
        self, label: str, *, record_id: int | None = None, reason: str = "", note: str = ""
    ) -> Card:
        """Decide the record on the card (or `record_id`); committed before the next card is
        made. A record merged as a duplicate is decided as asked, with a warning naming the
        record that is screened in its place."""
        rid = record_id if record_id is not None else self.current.id if self.current else None
        if rid is None:
            return self.next("nothing to decide")
        warnings = self._merged_warning(rid)
        d = decision_service.record_decision(
            self.store,
            rid,
            label,
            stage=self.stage,
            reviewer=self.reviewer,
            reason=reason,
            note=note,
            model_version=self._model_version(),
        )
        protocol = settings.protocol(self.store)  # read once for the rest of this step
        if self.ranker is not None:
            self.ranker.decide(rid, label)  # retrains in the ranker's own thread
            if service.follow_switch(self.store, self.ranker, protocol):
                return _with(self.next("the bound holds: now ranking with a second model",
                                       protocol=protocol),
                             decision=d, warnings=warnings)  # fmt: skip
        why = f" ({reason})" if reason else ""  # the full-text reason, to check it went in
        card = self.next(f"#{rid}: {label}{why}", protocol=protocol)
        return _with(card, decision=d, warnings=warnings)

    def undo(self) -> Card:
        """Retract this reviewer's latest decision at the stage and show its record again."""
        d = decision_service.undo_decision(self.store, stage=self.stage, reviewer=self.reviewer)
        if self.ranker is not None:
            self.ranker.decide(d.record_id, None)
        card = self._card(
            records.get_record(self.store, d.record_id), note=f"undone: #{d.record_id}"
        )
        return _with(card, decision=d)

    def skip(self) -> Card:
        """Pass over the record on the card for now."""
        if self.current is None:
            return self.next()
        self.skipped.append(self.current.id)
        return self.next(f"skipped #{self.current.id}")

    def open(self, record_id: int) -> Card:
        """Show a given record (found by search); deciding it then counts like any other."""
        return self._card(
            records.get_record(self.store, record_id),
            note=f"opened #{record_id}",
            warnings=self._merged_warning(record_id),
        )

    def start_check(self) -> Card:
        """Begin the random check of the stopping rule: the rest is served in random order."""
        check = service.start_check(self.store, stage=self.stage, reviewer=self.reviewer)
        return self.next(f"random check: {len(check.pool)} records drawn")

    def cancel_check(self) -> Card:
        """Abandon the random check (its decisions stay): back to ranked order."""
        service.cancel_check(self.store, stage=self.stage, reviewer=self.reviewer)
        return self.next("random check cancelled")

    def advice(self) -> StoppingAdvice:
        """Where the reviewer stands against the stopping rule."""
        return service.stopping_advice(self.store, stage=self.stage, reviewer=self.reviewer)

    def recall_history(self, points: int = 60) -> list[float]:
        """The recall estimate over time (oldest first), for a sparkline."""
        return recall_estimates(self.store, stage=self.stage, reviewer=self.reviewer, points=points)

    def progress(self) -> Progress:
        return queue.screening_progress(self.store, stage=self.stage, reviewer=self.reviewer)

    # --- helpers ------------------------------------------------------------------------------

    def _card(
        self, record: RecordView | None, *, note: str = "", warnings: tuple[str, ...] = ()
    ) -> Card:
        self.current = record
        notes = () if record is None else tuple(annotation.list_annotations(self.store, record.id))
        advice = self.advice() if self.advise else None
        order = "ranked" if self.ranker is not None else "import order"
        if service.get_check(self.store, stage=self.stage, reviewer=self.reviewer) is not None:
            order = "random check"
        return Card(record, self.progress(), notes, advice, None, note, warnings, order)

    def _merged_warning(self, record_id: int) -> tuple[str, ...]:
        membership = queue.cluster_of(self.store, record_id)
        if membership is None or not membership.merged(record_id):
            return ()
        return (
            f"#{record_id} is merged as a duplicate into #{membership.canonical_record_id} "
            f"(cluster {membership.cluster_id}); #{membership.canonical_record_id} is the "
            "record screened",
        )

    def _model_version(self) -> str:
        return "" if self.ranker is None else self.ranker.model_version


def check_question(advice: StoppingAdvice | None, under_way: bool) -> str | None:
    """What to ask before starting or cancelling the random check (None: go ahead at once,
    because the stopping rule asks for the check now)."""
    if under_way:
        return (
            "Cancel the random check? Its decisions stay; the records left are served in "
            "ranked order again."
        )
    if advice is None or (advice.phase in ("ranking", "second") and not advice.ready):
        where = f" ({advice.message})" if advice is not None else ""
        return (
            f"The stopping rule does not ask for the random check yet{where}. Start it "
            "anyway? The records left are then served in random order, not ranked."
        )
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _with(card: Card, **changes: Any) -> Card:
    return replace(card, **changes)
