"""The status of a review: import batches, quarantine, duplicates and decisions per stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from review.db import Store
from review.decisions import label_counts
from review.models import STAGES, ImportBatch, QuarantinedEntry, Record, Review
from review.queue import count_undecided, removed_duplicates


@dataclass
class BatchSummary:
    """One import batch in the status."""

    id: int
    file_name: str
    format: str
    source_name: str
    source_type: str
    imported_at: str
    entries: int
    imported: int
    quarantined: int
    warnings: int


@dataclass
class Status:
    """Counts of a review: records, import batches, decisions per stage."""

    name: str
    records: int
    batches: list[BatchSummary] = field(default_factory=list)
    duplicates_removed: int = 0
    stages: dict[str, dict[str, int]] = field(default_factory=dict)
    quarantined: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def review_status(store: Store) -> Status:
    """Counts per import batch and per stage (current decisions: include/exclude/maybe)."""
    with store.session() as s:
        review = s.exec(select(Review)).first()
        assert review is not None
        n_records = s.exec(select(func.count()).select_from(Record)).one()
        st = Status(name=review.name, records=n_records)
        for b in s.exec(select(ImportBatch).order_by(col(ImportBatch.id))).all():
            st.batches.append(
                BatchSummary(
                    b.id or 0,
                    b.file_name,
                    b.format,
                    b.source_name,
                    b.source_type,
                    b.imported_at.isoformat(timespec="seconds"),
                    b.n_entries,
                    b.n_imported,
                    b.n_quarantined,
                    b.n_warnings,
                )
            )
        st.quarantined = s.exec(
            select(func.count())
            .select_from(QuarantinedEntry)
            .where(col(QuarantinedEntry.resolved_at).is_(None))
        ).one()
        for stage in STAGES:
            counts = label_counts(s, stage)
            screened = sum(counts.values())
            st.stages[stage] = {
                "screened": screened,
                "include": counts.get("include", 0),
                "exclude": counts.get("exclude", 0),
                "maybe": counts.get("maybe", 0),
                "unscreened": 0,
            }
        st.duplicates_removed = s.exec(
            select(func.count()).select_from(removed_duplicates().subquery())
        ).one()
    from review.consensus import settled_counts  # settled labels, not the latest decision

    for stage in STAGES:
        st.stages[stage].update(settled_counts(store, stage))
        st.stages[stage]["unscreened"] = count_undecided(store, stage=stage)
    return st
