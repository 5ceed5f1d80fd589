"""PrismaBox: the review's PRISMA 2020 counts at a glance (home screen), kept live.

`load(store)` counts in a worker thread (review.prisma.prisma_counts) and the widget shows
the result when the worker's message arrives."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widgets import Static

from review.db import Store
from review.prisma import PrismaCounts, prisma_counts
from tui.common import count
from tui.worker_errors import reports_failure


def summary_lines(c: PrismaCounts) -> list[str]:
    """The counts as a few lines: databases and registers | other methods."""
    d = c.to_json()
    excl = sum(i["n"] for i in d["dbr_excluded"])
    oexcl = sum(i["n"] for i in d["other_excluded"])
    pending = d["details"]["pending"]
    lines = [
        "PRISMA 2020 · databases & registers | other methods",
        f"identified {c.dbr.identified} | {c.other.identified} · removed before screening "
        f"{c.dbr.removed} ({d['duplicates']} duplicates, {d['excluded_automatic']} automation, "
        f"{d['excluded_other']} other)",
        f"screened {d['records_screened']} (of which {c.dbr.pending} awaiting a decision) · "
        f"excluded {d['records_excluded']}",
        f"reports sought {d['dbr_sought_reports']} | {d['other_sought_reports']} · not "
        f"retrieved {d['dbr_notretrieved_reports']} | {d['other_notretrieved_reports']} · "
        f"assessed {d['dbr_assessed']} | {d['other_assessed']} · excluded {excl} | {oexcl}",
        f"included: {count(d['new_studies'], 'study', 'studies')}, "
        f"{count(d['new_reports'], 'report')}",
    ]
    if c.other.screened:  # PRISMA has no box for these; the review screens them all the same
        lines.insert(
            3,
            f"other methods: {c.other.screened} screened (of which {c.other.pending} awaiting a "
            f"decision) · excluded {c.other.excluded}",
        )
    if pending["full-text"]:
        lines.append(f"{count(pending['full-text'], 'report')} awaiting a full-text decision")
    return lines


class PrismaBox(Static):
    """Shows PRISMA counts; attributes down: `load(store)` recounts."""

    DEFAULT_CSS = """
    PrismaBox {
        border: round $primary;
        padding: 0 1;
        height: auto;
    }
    """

    counts: PrismaCounts | None = None
    _asked = 0  # loads started; an older count arriving late is dropped
    _shown = 0

    @dataclass
    class Counted(Message):
        """A worker counted the PRISMA boxes."""

        counts: PrismaCounts
        seq: int

    def load(self, store: Store) -> None:
        """Recount in a worker; the widget updates when the count arrives."""
        self._asked += 1
        self._count(store, self._asked)

    @work(thread=True, group="prisma")  # not exclusive: cancelling would lose a count
    @reports_failure
    def _count(self, store: Store, seq: int) -> None:
        self.post_message(self.Counted(prisma_counts(store), seq))

    def on_prisma_box_counted(self, message: Counted) -> None:
        if message.seq < self._shown:
            return
        self._shown = message.seq
        self.counts = message.counts
        self.update("\n".join(summary_lines(message.counts)))
