"""Tables of a review database (SQLModel).

Design notes (see docs/architecture.md):
- records are never deleted or edited; the raw source entry is kept beside the normalised
  fields (without the abstract when it is there verbatim: review/raw_entry.py);
- decisions are append-only rows keyed by (record, stage, reviewer): several reviewers may
  decide the same record (blinded dual screening), and `stage` is free text so full-text
  screening and later stages are rows, not new tables; undo marks a row `retracted_at`;
- every change of state also writes an `audit_log` row;
- future features (dedup clusters, studies linking reports, extraction forms) are new tables
  that point at `record.id`, added by a schema migration.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from review.biblio import BIBLIO_FIELDS as BIBLIO_FIELDS  # the one list; re-exported here
from review.record_fields import RecordFields

STAGES = ("title-abstract", "full-text")
LABELS = ("include", "exclude", "maybe")
SOURCE_TYPES = ("database", "register", "website", "organisation", "citation")


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return datetime.now(UTC)


class Review(SQLModel, table=True):
    """The one review a database holds, with its schema version."""

    __tablename__ = "review"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    created_at: datetime = Field(default_factory=utcnow)
    schema_version: int
    app_version: str = ""


class Setting(SQLModel, table=True):
    """A review setting (keywords, criteria, ranker, keymap...) as JSON, by key."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)


BATCH_STATES = ("loading", "done")


class ImportBatch(SQLModel, table=True):
    """One imported file. While its records are being written (`state` "loading") the batch
    and its records are invisible to every query; one short final commit makes it "done"
    (schema version 4: review/batches.py)."""

    __tablename__ = "import_batch"
    __table_args__ = (
        # "the same file twice" is a constraint: sha_key is the file's sha256, or NULL for an
        # import made with --again; loading_slot is 1 while loading (one import at a time)
        Index("ux_import_batch_sha_key", "sha_key", unique=True),
        Index("ux_import_batch_loading", "loading_slot", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    file_path: str = ""
    sha256: str = Field(index=True)
    size_bytes: int = 0
    format: str
    encoding: str = ""
    source_name: str = ""
    source_type: str = "database"
    imported_at: datetime = Field(default_factory=utcnow)
    n_entries: int = 0
    n_imported: int = 0
    n_quarantined: int = 0
    n_warnings: int = 0
    state: str = "done"
    sha_key: str | None = None
    loading_slot: int | None = None
    loader: str = ""  # host:pid of the process writing a loading batch
    heartbeat_at: datetime | None = None


class Record(RecordFields, table=True):
    """A bibliographic record (the fields of `RecordFields`, stored): normalised fields plus
    the line and raw entry from its file."""

    __tablename__ = "record"
    __table_args__ = (
        Index("ix_record_doi", "doi"),
        Index("ix_record_pmid", "pmid"),
        Index("ix_record_batch", "batch_id", "position"),
    )
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")
    abstract: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    line: int = 0
    # The entry as in its file. On SQLite it may be stored as bytes without its abstract
    # (a BLOB in this TEXT column): read it only through review.raw_entry.record_raw.
    raw: str | bytes = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class QuarantinedEntry(SQLModel, table=True):
    """An entry a reader could not turn into a record, kept verbatim for a person to fix."""

    __tablename__ = "quarantine"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    line: int
    reason: str
    raw: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    resolved_at: datetime | None = None
    resolved_batch_id: int | None = None


class ImportWarning(SQLModel, table=True):
    """Something odd about an imported record (no title, unparseable year...)."""

    __tablename__ = "import_warning"
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id", index=True)
    line: int = 0
    source_key: str = ""
    message: str


class Decision(SQLModel, table=True):
    """One reviewer's screening decision on one record at one stage. Append-only."""

    __tablename__ = "decision"
    __table_args__ = (Index("ix_decision_record_stage", "record_id", "stage", "reviewer"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    stage: str = "title-abstract"
    reviewer: str = ""
    label: str
    reason: str = ""
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    model_version: str = ""
    retracted_at: datetime | None = None


class RecordLease(SQLModel, table=True):
    """Single screening: a record handed to a reviewer as their next one, kept from the other
    reviewers until `expires_at` (schema version 4: review/leases.py). Not review data: a
    lease is coordination between sessions and is overwritten when it expires."""

    __tablename__ = "record_lease"
    stage: str = Field(primary_key=True)
    record_id: int = Field(primary_key=True, foreign_key="record.id")
    reviewer: str = ""
    expires_at: datetime = Field(default_factory=utcnow)


ANNOTATION_KINDS = ("note", "tag", "attachment")


class Annotation(SQLModel, table=True):
    """A reviewer's note, tag or attached full text (a local path or a URL) on a record
    (schema version 3). Never deleted: removing one sets `removed_at`."""

    __tablename__ = "annotation"
    __table_args__ = (Index("ix_annotation_kind_value", "kind", "value"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id", index=True)
    kind: str
    value: str = Field(sa_column=Column(Text, nullable=False))
    stage: str = ""  # the stage it was made at ("" when it does not matter)
    reviewer: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    removed_at: datetime | None = None


class TextCacheEntry(SQLModel, table=True):
    """Text derived from record text by a slow step, kept so that it is not recomputed
    (schema version 3): the screening tokeniser's output, keyed by a hash of its settings
    and the input. Safe to empty at any time."""

    __tablename__ = "text_cache"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_column=Column(Text, nullable=False))


class BlobPart(SQLModel, table=True):
    """Bytes derived from the records by a slow step (schema version 8): the screening
    features prepared after an import, so that opening a large review is a load, not a fit.
    A blob is stored in parts (`part` 0, 1, ...) under its key; a newer blob for the same key
    replaces it. Safe to empty at any time (it is rebuilt from the records)."""

    __tablename__ = "blob_part"
    key: str = Field(primary_key=True, max_length=64)
    part: int = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ConflictResolution(SQLModel, table=True):
    """A lead's final decision on a record whose reviewers disagreed at a stage (schema
    version 4). Append-only: the latest one for a record and stage stands."""

    __tablename__ = "conflict_resolution"
    __table_args__ = (Index("ix_conflict_resolution_record_stage", "record_id", "stage"),)
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="record.id")
    stage: str = "title-abstract"
    label: str
    reason: str = ""
    note: str = ""
    resolved_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """An append-only log of every change made to the review."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str = ""
    action: str
    target: str = ""
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- deduplication (schema version 2) ------------------------------------------------------
# Records are never deleted or edited by deduplication: a cluster links records, a pair row
# keeps the score, reason and decision for two records, and undo dissolves a cluster (and
# brings back the clusters it replaced).

DEDUP_DECISIONS = ("merged", "queued", "distinct", "same", "different")


class DedupRun(SQLModel, table=True):
    """One run of the deduplicator: its settings and counts."""

    __tablename__ = "dedup_run"
    id: int | None = Field(default=None, primary_key=True)
    started_at: datetime = Field(default_factory=utcnow)
    actor: str = ""
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    max_record_id: int = 0
    n_records: int = 0
    n_new_records: int = 0
    n_candidates: int = 0
    n_pairs: int = 0
    seconds: float = 0.0


class DedupCluster(SQLModel, table=True):
    """Records found to be one publication. Active while `dissolved_at` is null."""

    __tablename__ = "dedup_cluster"
    id: int | None = Field(default=None, primary_key=True)
    canonical_record_id: int = Field(foreign_key="record.id")
    origin: str = "auto"  # auto, person, split
    run_id: int | None = Field(default=None, foreign_key="dedup_run.id")
    actor: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    dissolved_at: datetime | None = Field(default=None, index=True)
    dissolved_by: str = ""
    replaces: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    pair_changes: list[list[Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class DedupMember(SQLModel, table=True):
    """A record's membership of a cluster."""

    __tablename__ = "dedup_member"
    __table_args__ = (Index("ix_dedup_member_cluster", "cluster_id"),)
    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="dedup_cluster.id")
    record_id: int = Field(foreign_key="record.id", index=True)


class DedupPair(SQLModel, table=True):
    """Two records compared: score, reason, and the decision (machine's or a person's)."""

    __tablename__ = "dedup_pair"
    __table_args__ = (
        Index("ux_dedup_pair", "record_a", "record_b", unique=True),
        Index("ix_dedup_pair_decision", "decision", "score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    record_a: int = Field(foreign_key="record.id")
    record_b: int = Field(foreign_key="record.id", index=True)
    score: float = 0.0
    decision: str = "queued"
    auto_decision: str = ""
    reason: str = ""
    run_id: int | None = Field(default=None, foreign_key="dedup_run.id")
    decided_by: str = ""
    decided_at: datetime | None = None


# --- PRISMA: removals before screening, studies and their reports (schema version 4) ------
# --- structured extraction (schema version 5) -----------------------------------------------
from review.extraction_tables import Extraction, ExtractionForm, ExtractionValue  # noqa: E402
from review.prisma_tables import RecordRemoval, Study, StudyReport  # noqa: E402

__all__ = [
    "Extraction",
    "ExtractionForm",
    "ExtractionValue",
    "RecordRemoval",
    "Study",
    "StudyReport",
]
