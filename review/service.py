"""The review service: plain functions the CLI, the TUI and Python scripts all call.

Each call is one unit of work on a `Store`. Nothing here prints or imports a UI library.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from review import batches, export_view, exports
from review.automation import removed_before_screening
from review.db import Store, resolve_url
from review.decisions import (
    DecisionView,
    add_decision,
    check_stage,
    current_decisions_subquery,
    retract_last,
)
from review.errors import DuplicateImportError, ImportFormatError, InvalidInputError, NotFoundError
from review.importing import ImportReport, ProgressFn, import_file
from review.models import (
    BIBLIO_FIELDS,
    STAGES,
    AuditEntry,
    Decision,
    DedupCluster,
    DedupMember,
    ImportBatch,
    QuarantinedEntry,
    Record,
    Review,
    Setting,
    utcnow,
)
from review.raw_entry import record_raw
from review.schema import check_and_migrate, create_schema

log = logging.getLogger(__name__)

RECORD_FIELDS = ("id", "batch_id", "position", "source_key", *BIBLIO_FIELDS)


# --- opening -------------------------------------------------------------------------------


def open_review(db: str | None = None, *, name: str | None = None) -> Store:
    """Open the review at `db` (path or URL; default ./review.db or $LITSIFT_DB), creating it
    on first use, and migrate it if it is older than this litsift."""
    store = Store(resolve_url(db))
    if not store.exists():
        default = store.path.parent.name if store.path else "review"
        create_schema(store, name or default or "review")
        log.info("created review %s", store.url)
    else:
        check_and_migrate(store)
    batches.remove_abandoned(store)  # an import killed part-way left rows never visible
    return store


def review_info(store: Store) -> dict[str, Any]:
    """The review's name, creation time and schema version."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        return {
            "name": r.name,
            "created_at": r.created_at.isoformat(),
            "schema_version": r.schema_version,
            "database": str(store.path) if store.path else store.url,
        }


def rename_review(store: Store, name: str) -> None:
    """Set the review's name."""
    with store.session() as s:
        r = s.exec(select(Review)).first()
        assert r is not None
        r.name = name
        s.add(r)
        s.add(AuditEntry(action="rename", target="review", detail={"name": name}))


def get_setting(store: Store, key: str, default: Any = None) -> Any:
    """A review setting (stored in the database as JSON)."""
    with store.session() as s:
        row = s.get(Setting, key)
        return default if row is None else row.value


def set_setting(store: Store, key: str, value: Any, *, actor: str = "") -> None:
    """Store a review setting and log the change."""
    with store.session() as s:
        row = s.get(Setting, key) or Setting(key=key)
        row.value = value
        s.add(row)
        s.add(AuditEntry(actor=actor, action="setting", target=key, detail={"value": value}))


def set_keywords(
    store: Store, include: Sequence[str], exclude: Sequence[str], *, actor: str = ""
) -> dict[str, list[str]]:
    """Replace the review's include and exclude keywords (kept in the protocol, which also
    feeds the ranking's cold start). Blank and repeated entries are dropped."""
    from review import settings

    protocol = settings.protocol(store)
    protocol.keywords = settings.Keywords(include=list(include), exclude=list(exclude))
    settings.save(store, protocol, actor=actor)
    return protocol.keywords.model_dump()


# --- import --------------------------------------------------------------------------------


def import_files(
    store: Store,
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    source_name: str = "",
    source_type: str = "database",
    again: bool = False,
    encoding: str | None = None,
    actor: str = "",
    progress: Callable[[str], ProgressFn] | None = None,
    labels_as: str | None = None,
) -> list[ImportReport]:
    """Import each file in its own transaction. A refused file yields a report with `error`
    set (and nothing written); the other files still import."""
    reports = []
    for p in paths:
        try:
            reports.append(
                import_file(
                    store,
                    p,
                    fmt=fmt,
                    source_name=source_name,
                    source_type=source_type,
                    again=again,
                    encoding=encoding,
                    actor=actor,
                    progress=progress(str(p)) if progress else None,
                    labels_as=labels_as,
                )
            )
        except (ImportFormatError, DuplicateImportError, InvalidInputError) as e:
            reports.append(ImportReport(file=str(p), error=str(e)))
    return reports


@dataclass
class QuarantineView:
    """A quarantined entry as listed to users."""

    id: int
    batch_id: int
    file_name: str
    line: int
    reason: str
    raw: str
    resolved: bool


def list_quarantine(store: Store, *, include_resolved: bool = False) -> list[QuarantineView]:
    """Entries that could not be imported, with their file, line, reason and raw text."""
    with store.session() as s:
        q = select(QuarantinedEntry, ImportBatch.file_name).join(
            ImportBatch, col(ImportBatch.id) == QuarantinedEntry.batch_id
        )
        if not include_resolved:
            q = q.where(col(QuarantinedEntry.resolved_at).is_(None))
        return [
            QuarantineView(
                e.id or 0, e.batch_id, name, e.line, e.reason, e.raw, e.resolved_at is not None
            )
            for e, name in s.exec(q.order_by(col(QuarantinedEntry.id))).all()
        ]


def resolve_quarantine(
    store: Store,
    entry_id: int,
    fixed_file: str | Path,
    *,
    fmt: str | None = None,
    actor: str = "",
) -> ImportReport:
    """Import a corrected copy of a quarantined entry and mark the entry resolved."""
    with store.session() as s:
        entry = s.get(QuarantinedEntry, entry_id)
        if entry is None:
            raise NotFoundError(f"no quarantined entry {entry_id}", hint="see `litsift quarantine`")
        batch = s.get(ImportBatch, entry.batch_id)
        assert batch is not None
        fmt = fmt or batch.format
    try:
        report = import_file(
            store,
            fixed_file,
            fmt=fmt,
            source_name=batch.source_name,
            source_type=batch.source_type,
            again=True,
            actor=actor,
            require_records=True,
        )
    except ImportFormatError as e:
        raise ImportFormatError(
            f"{e.message}; quarantined entry {entry_id} is left as it was", hint=e.hint
        ) from e
    with store.session() as s:
        entry = s.get(QuarantinedEntry, entry_id)
        assert entry is not None
        entry.resolved_at = utcnow()
        entry.resolved_batch_id = report.batch_id
        s.add(entry)
        s.add(
            AuditEntry(
                actor=actor,
                action="resolve-quarantine",
                target=f"quarantine:{entry_id}",
                detail={"batch": report.batch_id},
            )
        )
    return report


# --- status and records --------------------------------------------------------------------


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
            sub = current_decisions_subquery(stage)
            counts = dict(
                s.exec(
                    select(Decision.label, func.count())
                    .join(sub, sub.c.decision_id == Decision.id)
                    .group_by(col(Decision.label))
                ).all()
            )
            screened = sum(counts.values())
            st.stages[stage] = {
                "screened": screened,
                "include": counts.get("include", 0),
                "exclude": counts.get("exclude", 0),
                "maybe": counts.get("maybe", 0),
                "unscreened": 0,
            }
        st.duplicates_removed = s.exec(
            select(func.count()).select_from(_removed_duplicates().subquery())
        ).one()
    from review.consensus import settled_counts  # settled labels, not the latest decision

    for stage in STAGES:
        st.stages[stage].update(settled_counts(store, stage))
        st.stages[stage]["unscreened"] = count_undecided(store, stage=stage)
    return st


def _record_dict(r: Record) -> dict[str, Any]:
    return {k: getattr(r, k) for k in RECORD_FIELDS}


@dataclass
class RecordRow:
    """A record in listings: id, source key, title, current decision at the listed stage."""

    id: int
    source_key: str
    title: str
    year: int | None
    label: str | None


def list_records(
    store: Store,
    *,
    stage: str = "title-abstract",
    label: str | None = None,
    limit: int | None = None,
) -> list[RecordRow]:
    """Records with their current decision at `stage`; `label` filters (`none` = undecided)."""
    check_stage(stage)
    with store.session() as s:
        sub = current_decisions_subquery(stage)
        q = (
            select(  # type: ignore[call-overload]
                Record.id, Record.source_key, Record.title, Record.year, Decision.label
            )
            .outerjoin(sub, sub.c.record_id == Record.id)
            .outerjoin(Decision, col(Decision.id) == sub.c.decision_id)
        )
        if label == "none":
            q = q.where(col(Decision.label).is_(None))
        elif label:
            q = q.where(Decision.label == label)
        q = q.order_by(col(Record.id))
        if limit:
            q = q.limit(limit)
        return [RecordRow(*row) for row in s.exec(q).all()]


def get_record(store: Store, record_id: int) -> dict[str, Any]:
    """All normalised fields of one record, plus its raw source entry."""
    with store.session() as s:
        r = s.get(Record, record_id)
        if r is None:
            raise NotFoundError(f"no record with id {record_id}", hint="see `litsift records`")
        d = _record_dict(r)
        d["raw"] = record_raw(r.raw, r.abstract)
        return d


def _removed_duplicates() -> Any:
    """Record ids merged into another record's cluster (every active member but the
    canonical one): they are not screened again."""
    return (
        select(DedupMember.record_id)
        .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .where(DedupMember.record_id != DedupCluster.canonical_record_id)
    )


def _decided_through_cluster(decisions: Any) -> Any:
    """Record ids whose duplicate cluster has a member with a decision in `decisions` (a
    decision made on any copy of a publication carries over to the others)."""
    mine, other = aliased(DedupMember), aliased(DedupMember)
    return (
        select(mine.record_id)
        .join(DedupCluster, col(DedupCluster.id) == mine.cluster_id)
        .where(col(DedupCluster.dissolved_at).is_(None))
        .join(other, col(other.cluster_id) == mine.cluster_id)
        .join(decisions, decisions.c.record_id == other.record_id)
    )


def _undecided(stage: str, reviewer: str | None) -> Any:
    """Records still to screen at `stage` (by `reviewer`, or by anyone when None): no standing
    decision on them or on a duplicate of them, not removed as duplicates, and at the
    full-text stage included at title/abstract."""
    sub = current_decisions_subquery(stage, reviewer)
    q = select(Record).outerjoin(sub, sub.c.record_id == Record.id)
    q = q.where(sub.c.decision_id.is_(None))
    q = q.where(col(Record.id).not_in(_removed_duplicates()))
    q = q.where(col(Record.id).not_in(removed_before_screening()))  # rules, other reasons
    q = q.where(col(Record.id).not_in(_decided_through_cluster(sub)))
    if stage == "full-text":
        inc = current_decisions_subquery("title-abstract")
        q = (
            q.join(inc, inc.c.record_id == Record.id)
            .join(Decision, col(Decision.id) == inc.c.decision_id)
            .where(Decision.label == "include")
        )
    return q


def count_undecided(store: Store, *, stage: str = "title-abstract") -> int:
    """How many records nobody has decided yet at `stage` (duplicates counted once)."""
    with store.session() as s:
        return int(
            s.exec(select(func.count()).select_from(_undecided(stage, None).subquery())).one()
        )


def undecided_record(
    store: Store, record_id: int, *, stage: str = "title-abstract", reviewer: str | None = None
) -> dict[str, Any] | None:
    """Record `record_id` if it is still to screen by this reviewer at `stage`, else None."""
    check_stage(stage)
    with store.session() as s:
        r = s.exec(_undecided(stage, reviewer).where(Record.id == record_id)).first()
        return _record_dict(r) if r else None


def undecided_ids(
    store: Store, *, stage: str = "title-abstract", reviewer: str | None = None
) -> list[int]:
    """Ids of the records this reviewer still has to screen at `stage`, in import order."""
    check_stage(stage)
    with store.session() as s:
        sub = _undecided(stage, reviewer).subquery()
        return [int(i) for i in s.exec(select(sub.c.id).order_by(sub.c.id)).all()]


def undecided_among(
    store: Store,
    ids: Sequence[int],
    *,
    stage: str = "title-abstract",
    reviewer: str | None = None,
) -> set[int]:
    """Which of `ids` this reviewer still has to screen at `stage`."""
    check_stage(stage)
    with store.session() as s:
        sub = _undecided(stage, reviewer).where(col(Record.id).in_(list(ids))).subquery()
        return {int(i) for i in s.exec(select(sub.c.id)).all()}


def standing_in_order(
    store: Store, *, stage: str = "title-abstract", reviewer: str = ""
) -> list[tuple[int, str, datetime]]:
    """This reviewer's standing decisions at `stage` as (record id, label, first decided at),
    in the order the records were first decided (a changed decision keeps its place)."""
    table = Decision.__table__  # type: ignore[attr-defined]
    q = (
        select(table.c.record_id, table.c.label, table.c.created_at)
        .where(
            table.c.stage == stage,
            table.c.reviewer == reviewer,
            table.c.retracted_at.is_(None),
        )
        .order_by(table.c.id)
    )
    first: dict[int, tuple[str, datetime]] = {}
    with store.begin() as conn:  # plain rows, not ORM objects: this runs after every decision
        for rid, label, at in conn.execute(q):
            first[rid] = (label, first[rid][1] if rid in first else at)
    return [(rid, label, at) for rid, (label, at) in first.items()]


def first_undecided(
    store: Store,
    *,
    stage: str = "title-abstract",
    reviewer: str | None = None,
    skip: Collection[int] = (),
) -> dict[str, Any] | None:
    """The first record (in import order) this reviewer has no standing decision on, other
    than the records in `skip` (those a reviewer passed over for now)."""
    check_stage(stage)
    with store.session() as s:
        q = _undecided(stage, reviewer)
        if skip:
            q = q.where(col(Record.id).not_in(list(skip)))
        r = s.exec(q.order_by(col(Record.id)).limit(1)).first()
        return _record_dict(r) if r else None


@dataclass
class Progress:
    """One reviewer's progress at a stage."""

    total: int
    screened: int
    include: int
    exclude: int
    maybe: int


def screening_progress(
    store: Store, *, stage: str = "title-abstract", reviewer: str | None = None
) -> Progress:
    """How many records there are to screen at `stage` and what this reviewer decided."""
    check_stage(stage)
    with store.session() as s:
        if stage == "title-abstract":  # duplicates removed are not screened
            total = (
                s.exec(select(func.count()).select_from(Record)).one()
                - s.exec(select(func.count()).select_from(_removed_duplicates().subquery())).one()
                - s.exec(
                    select(func.count()).select_from(
                        select(Record.id)
                        .where(col(Record.id).in_(removed_before_screening()))
                        .where(col(Record.id).not_in(_removed_duplicates()))
                        .subquery()
                    )
                ).one()
            )
        else:
            inc = current_decisions_subquery("title-abstract")
            total = s.exec(
                select(func.count())
                .select_from(inc)
                .join(Decision, col(Decision.id) == inc.c.decision_id)
                .where(Decision.label == "include")
            ).one()
        sub = current_decisions_subquery(stage, reviewer)
        counts = dict(
            s.exec(
                select(Decision.label, func.count())
                .join(sub, sub.c.decision_id == Decision.id)
                .group_by(col(Decision.label))
            ).all()
        )
    return Progress(
        total=total,
        screened=sum(counts.values()),
        include=counts.get("include", 0),
        exclude=counts.get("exclude", 0),
        maybe=counts.get("maybe", 0),
    )


def reviewer_counts(store: Store, *, stage: str = "title-abstract") -> dict[str, dict[str, int]]:
    """Each reviewer's standing decisions at `stage`: {reviewer: {label: count}}."""
    check_stage(stage)
    with store.session() as s:
        latest = (
            select(Decision.record_id, Decision.reviewer, func.max(Decision.id).label("id"))
            .where(Decision.stage == stage, col(Decision.retracted_at).is_(None))
            .group_by(col(Decision.record_id), col(Decision.reviewer))
            .subquery()
        )
        rows = s.exec(
            select(Decision.reviewer, Decision.label, func.count())
            .join(latest, latest.c.id == Decision.id)
            .group_by(col(Decision.reviewer), col(Decision.label))
        ).all()
    out: dict[str, dict[str, int]] = {}
    for reviewer, label, n in rows:
        out.setdefault(reviewer, {"include": 0, "exclude": 0, "maybe": 0})[label] = n
    return out


# --- decisions -----------------------------------------------------------------------------


def record_decision(
    store: Store,
    record_id: int,
    label: str,
    *,
    stage: str = "title-abstract",
    reviewer: str = "",
    reason: str = "",
    note: str = "",
    model_version: str = "",
) -> DecisionView:
    """Record a decision; it is committed (durable) when this returns."""
    with store.session() as s:
        d = add_decision(
            s,
            record_id,
            label,
            stage=stage,
            reviewer=reviewer,
            reason=reason,
            note=note,
            model_version=model_version,
        )
        r = s.get(Record, record_id)
        assert r is not None
        return _decision_view(d, r.source_key)


def undo_decision(
    store: Store, *, stage: str = "title-abstract", reviewer: str = ""
) -> DecisionView:
    """Retract the reviewer's latest standing decision at `stage`."""
    with store.session() as s:
        d = retract_last(s, stage=stage, reviewer=reviewer)
        r = s.get(Record, d.record_id)
        assert r is not None
        return _decision_view(d, r.source_key)


def _decision_view(d: Decision, source_key: str) -> DecisionView:
    return DecisionView(
        d.id or 0,
        d.record_id,
        source_key,
        d.stage,
        d.reviewer,
        d.label,
        d.reason,
        d.note,
        d.created_at,
        d.retracted_at,
        d.model_version,
    )


def list_decisions(
    store: Store,
    *,
    stage: str | None = None,
    reviewer: str | None = None,
    include_retracted: bool = True,
) -> list[DecisionView]:
    """Every decision in the order made (the audit trail of screening)."""
    with store.session() as s:
        q = select(Decision, Record.source_key).join(Record, col(Record.id) == Decision.record_id)
        if stage:
            q = q.where(Decision.stage == stage)
        if reviewer is not None:
            q = q.where(Decision.reviewer == reviewer)
        if not include_retracted:
            q = q.where(col(Decision.retracted_at).is_(None))
        return [_decision_view(d, key) for d, key in s.exec(q.order_by(col(Decision.id))).all()]


@dataclass
class HistoryRow:
    """A decision with the title of its record, for browsing the screening history."""

    decision: DecisionView
    title: str


def decision_history(
    store: Store,
    *,
    stage: str | None = None,
    reviewer: str | None = None,
    label: str | None = None,
    search: str = "",
    limit: int = 500,
) -> list[HistoryRow]:
    """Decisions newest first, filtered by stage, reviewer, label and words of the title."""
    with store.session() as s:
        q = select(Decision, Record.source_key, Record.title).join(
            Record, col(Record.id) == Decision.record_id
        )
        if stage:
            q = q.where(Decision.stage == stage)
        if reviewer is not None:
            q = q.where(Decision.reviewer == reviewer)
        if label:
            q = q.where(Decision.label == label)
        for word in search.split():
            q = q.where(col(Record.title).ilike(f"%{word}%"))
        rows = s.exec(q.order_by(col(Decision.id).desc()).limit(limit)).all()
        return [HistoryRow(_decision_view(d, key), title) for d, key, title in rows]


# --- export --------------------------------------------------------------------------------


def iter_records(store: Store, *, stage: str = "title-abstract") -> Iterator[dict[str, Any]]:
    """Every record (import order) with its current decision label at `stage`."""
    with store.session() as s:
        sub = current_decisions_subquery(stage)
        q = (
            select(Record, Decision.label)
            .outerjoin(sub, sub.c.record_id == Record.id)
            .outerjoin(Decision, col(Decision.id) == sub.c.decision_id)
            .order_by(col(Record.id))
        )
        for r, label in s.exec(q).yield_per(1000):
            d = _record_dict(r)
            d["label"] = label
            yield d


def export_records(
    store: Store, fmt: str, out: TextIO, flt: export_view.ExportFilter | None = None
) -> int:
    """Write the records (all, or those passing `flt`) in `fmt` (csv, json, ris, bibtex)
    with decisions by stage, notes, tags, cluster and source; returns the number written."""
    return export_view.write_export(store, fmt, out, flt)


def export_decisions(store: Store, fmt: str, out: TextIO) -> int:
    """Write one row per decision (csv or json)."""
    if fmt not in ("csv", "json"):
        raise InvalidInputError(f"unknown export format {fmt!r}", hint="one of: csv, json")
    rows = [asdict(d) for d in list_decisions(store)]
    return exports.write_decisions(rows, fmt, out)


def audit_log(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    """The latest entries of the audit log, newest first."""
    with store.session() as s:
        rows = s.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)).all()
        return [json.loads(r.model_dump_json()) for r in rows]
