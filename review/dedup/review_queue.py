"""`DedupQueue`: a person working through the possible duplicates deduplication queued — the
use-case the app's duplicates screen and `litsift dedup queue|decide` both drive.

It keeps the pairs skipped for now and its own undo stack (a `same` is undone by dissolving
the cluster it made, a `different` by putting the pair back in the queue)."""

from __future__ import annotations

from dataclasses import dataclass, field

from review.db import Store
from review.dedup.queries import QueueItem, list_queue
from review.dedup.service import decide_pair, reopen_pair, undo_cluster
from review.errors import InvalidInputError


@dataclass(frozen=True)
class Verdict:
    """A verdict given in this queue: records `a` and `b`, `same` or `different`, and the
    cluster that now holds both (0 for `different`)."""

    a: int
    b: int
    verdict: str
    cluster_id: int


@dataclass(frozen=True)
class DedupCard:
    """What to show: the first pair waiting (None when none is), how many wait, and what
    just happened."""

    item: QueueItem | None
    waiting: int
    note: str = ""
    last: Verdict | None = None
    can_undo: bool = False


@dataclass
class DedupQueue:
    """One person's pass over the dedup queue."""

    store: Store
    actor: str = ""
    skipped: set[int] = field(default_factory=set)
    done: list[Verdict] = field(default_factory=list)

    def card(self, note: str = "", last: Verdict | None = None) -> DedupCard:
        """The first pair waiting (skipped pairs come last, after the others are done)."""
        items = list_queue(self.store, limit=None)
        fresh = [i for i in items if i.pair_id not in self.skipped]
        if not fresh and items:
            self.skipped.clear()
            fresh, note = items, note or "back to skipped pairs"
        return DedupCard(fresh[0] if fresh else None, len(items), note, last, bool(self.done))

    def decide(self, verdict: str, a: int | None = None, b: int | None = None) -> DedupCard:
        """`same` or `different` on records `a` and `b` (default: the pair on the card)."""
        if a is None or b is None:
            item = self.card().item
            if item is None:
                raise InvalidInputError(
                    "no possible duplicate is waiting", hint="run `litsift dedup`"
                )
            a, b = int(item.record_a["id"]), int(item.record_b["id"])
        cluster = decide_pair(self.store, f"#{a}", f"#{b}", verdict, actor=self.actor)
        done = Verdict(a, b, verdict, cluster)
        self.done.append(done)
        return self.card(f"#{a} and #{b}: {verdict}", done)

    def skip(self) -> DedupCard:
        """Pass over the pair on the card for now."""
        item = self.card().item
        if item is not None:
            self.skipped.add(item.pair_id)
        return self.card("skipped")

    def undo(self) -> DedupCard:
        """Undo this queue's last verdict: a merge is dissolved, `different` re-queued."""
        if not self.done:
            raise InvalidInputError(
                "nothing to undo in this session",
                hint="`litsift dedup clusters` lists merges; `dedup undo CLUSTER` undoes one",
            )
        last = self.done[-1]
        if last.verdict == "same" and last.cluster_id:
            undo_cluster(self.store, last.cluster_id, actor=self.actor)
        else:
            reopen_pair(self.store, f"#{last.a}", f"#{last.b}", actor=self.actor)
        self.done.pop()
        return self.card(f"undone: #{last.a} and #{last.b} back in the queue", last)
