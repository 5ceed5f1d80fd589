"""The home dashboard: one read of a review's state that the app's home screen shows and
`litsift status` prints — imports, quarantine, duplicates, decisions per stage, each
reviewer's counts and where each stands against the stopping rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from review import queue, status
from review.db import Store
from review.dedup.queries import dedup_status
from screening.service import stopping_advice


@dataclass(frozen=True)
class Dashboard:
    """A review at a glance."""

    status: status.Status
    duplicates_to_check: int
    reviewers: dict[str, dict[str, int]]  # title/abstract: {reviewer: {label: count}}
    stopping: dict[str, str]  # title/abstract: {reviewer: one line of stopping advice}

    def summary(self) -> str:
        """One line under the review's name (wraps at any width: it is cut nowhere)."""
        st = self.status
        return (
            f"{_n(st.records, 'record')} from {_n(len(st.batches), 'import')} · "
            f"{_n(st.quarantined, 'entry', 'entries')} in quarantine · "
            f"{_n(st.duplicates_removed, 'duplicate')} removed · "
            f"{_n(self.duplicates_to_check, 'possible duplicate')} to check"
        )

    def stage_lines(self) -> list[str]:
        """Decisions per stage, per reviewer, and the stopping advice: plain text lines."""
        lines = []
        for stage, c in self.status.stages.items():
            lines.append(
                f"{stage}: {c['screened']} screened · {c['include']} included · "
                f"{c['exclude']} excluded · {c['maybe']} maybe · {c['unscreened']} to screen"
                + (f" · {c['conflicts']} in conflict" if c.get("conflicts") else "")
            )
        for name, c in sorted(self.reviewers.items()):
            lines.append(
                f"  {name or '(no name)'}: {c['include']} include · {c['exclude']} exclude · "
                f"{c['maybe']} maybe"
            )
        if self.stopping:
            lines.append("stopping (title-abstract):")
            lines += [f"  {name or '(no name)'}: {text}" for name, text in self.stopping.items()]
        return lines

    def to_json(self) -> dict[str, Any]:
        """The status's JSON plus the dashboard's own keys."""
        return {
            **self.status.to_json(),
            "duplicates_to_check": self.duplicates_to_check,
            "reviewers": self.reviewers,
            "stopping": self.stopping,
        }


def _n(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def dashboard(store: Store) -> Dashboard:
    """Read the dashboard of a review (several queries; run it off the UI thread)."""
    reviewers = queue.reviewer_counts(store)
    return Dashboard(
        status=status.review_status(store),
        duplicates_to_check=dedup_status(store).queued,
        reviewers=reviewers,
        stopping={
            name: stopping_advice(store, reviewer=name).message for name in sorted(reviewers)
        },
    )
