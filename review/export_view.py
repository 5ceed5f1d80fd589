"""What a lead exports about each record: its fields plus the review's view of it.

Each exported record carries the settled decision at every stage (with its reason and
reviewers, from `review.consensus.final_labels`), its notes and tags, its duplicate cluster and
whether it is the cluster's canonical record, the database and file it came from, and a
citation key unique in the review and stable from one export to the next. Filters choose
records by the decision at a stage and leave out merged duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlmodel import col, select

from review import exports
from review.biblio import BIBLIO_FIELDS
from review.consensus import FinalLabel, final_labels
from review.db import Store
from review.errors import InvalidInputError
from review.models import (
    LABELS,
    STAGES,
    Annotation,
    Decision,
    DedupCluster,
    DedupMember,
    ImportBatch,
    Record,
)

EXPORT_LABELS = (*LABELS, "undecided")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:.-+/")


@dataclass(frozen=True)
class ExportFilter:
    """Which records to export. `label` applies at `stage` (title-abstract when not given);
    `stage` alone keeps the records with a settled decision at that stage; `canonical_only`
    leaves out records merged into another record's duplicate cluster."""

    stage: str | None = None
    label: str | None = None
    canonical_only: bool = False

    def check(self, stages: Iterable[str]) -> None:
        """Refuse an unknown stage or label, naming the choices."""
        known = list(stages)
        if self.stage is not None and self.stage not in known:
            raise InvalidInputError(
                f"unknown stage {self.stage!r}", hint="one of: " + ", ".join(known)
            )
        if self.label is not None and self.label not in EXPORT_LABELS:
            raise InvalidInputError(
                f"unknown label {self.label!r}", hint="one of: " + ", ".join(EXPORT_LABELS)
            )

    def keeps(self, finals: dict[str, FinalLabel], canonical: bool | None) -> bool:
        """Whether a record with these final labels (by stage) and cluster role passes."""
        if self.canonical_only and canonical is False:
            return False
        if self.label is None:
            return self.stage is None or self.stage in finals
        final = finals.get(self.stage or STAGES[0])
        if self.label == "undecided":
            return final is None
        return final is not None and final.label == self.label


def review_stages(store: Store) -> list[str]:
    """The review's stages: the standard ones, then any other a decision was recorded at."""
    with store.session() as s:
        used = s.exec(select(Decision.stage).distinct()).all()
    return [*STAGES, *sorted(set(used) - set(STAGES))]


def _citation_base(source_key: str, record_id: int) -> str:
    base = "".join(c if c in _KEY_CHARS else "_" for c in source_key.strip())
    return base.strip("_") or f"record{record_id}"


def citation_keys(records: Iterable[tuple[int, str]]) -> dict[int, str]:
    """A BibTeX citation key per record id, unique in the review: the source key (cleaned),
    and for the second and later records sharing it (by record id) a suffix a, b, ...
    Computed over every record of the review, so a record keeps its key in every export,
    whatever the filters."""
    ordered = sorted(records)
    bases = {rid: _citation_base(key, rid) for rid, key in ordered}
    taken = set(bases.values())
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for rid, _ in ordered:
        base = bases[rid]
        n = seen.get(base, 0)
        key = base
        if n:
            while (key := base + exports.letter_suffix(n)) in taken:
                n += 1
            taken.add(key)
        seen[base] = n + 1
        out[rid] = key
    return out


def _annotations(store: Store) -> tuple[dict[int, list[dict[str, str]]], dict[int, list[str]]]:
    notes: dict[int, list[dict[str, str]]] = {}
    tags: dict[int, list[str]] = {}
    with store.session() as s:
        rows = s.exec(
            select(Annotation)
            .where(col(Annotation.removed_at).is_(None), col(Annotation.kind).in_(("note", "tag")))
            .order_by(col(Annotation.id))
        ).all()
    for a in rows:
        if a.kind == "note":
            notes.setdefault(a.record_id, []).append(
                {"text": a.value, "reviewer": a.reviewer, "stage": a.stage}
            )
        elif a.value not in tags.setdefault(a.record_id, []):
            tags[a.record_id].append(a.value)
    return notes, tags


def _clusters(store: Store) -> dict[int, tuple[int, bool]]:
    """Record id → (its active duplicate cluster, whether it is the canonical record)."""
    with store.session() as s:
        rows = s.exec(
            select(DedupMember.record_id, DedupCluster.id, DedupCluster.canonical_record_id)
            .join(DedupCluster, col(DedupCluster.id) == DedupMember.cluster_id)
            .where(col(DedupCluster.dissolved_at).is_(None))
        ).all()
    return {rid: (int(cid), rid == canonical) for rid, cid, canonical in rows if cid is not None}


def export_rows(store: Store, flt: ExportFilter | None = None) -> Iterator[dict[str, Any]]:
    """Every record passing `flt` (import order) with its fields and the review's view of it:
    `decisions` {stage: {label, reason, reviewers}}, `label` (title-abstract), `notes`,
    `tags`, `cluster_id`, `canonical`, `source_database`, `source_file`, `citation_key`."""
    flt = flt or ExportFilter()
    stages = review_stages(store)
    flt.check(stages)
    finals = {stage: final_labels(store, stage) for stage in stages}
    notes, tags = _annotations(store)
    clusters = _clusters(store)
    with store.session() as s:
        batches = {b.id: (b.source_name, b.file_name) for b in s.exec(select(ImportBatch)).all()}
        keys = citation_keys(s.exec(select(Record.id, Record.source_key)).all())  # type: ignore[arg-type]
        for r in s.exec(select(Record).order_by(col(Record.id))).yield_per(1000):
            rid = int(r.id or 0)
            mine = {st: finals[st][rid] for st in stages if rid in finals[st]}
            cluster = clusters.get(rid)
            if not flt.keeps(mine, cluster[1] if cluster else None):
                continue
            row: dict[str, Any] = {"id": rid, "batch_id": r.batch_id, "position": r.position}
            row["source_key"] = r.source_key
            row.update({k: getattr(r, k) for k in BIBLIO_FIELDS})
            ta = mine.get(STAGES[0])
            row["label"] = ta.label if ta else None
            row["decisions"] = {
                st: {"label": f.label, "reason": f.reason, "reviewers": list(f.reviewers)}
                for st, f in mine.items()
            }
            row["notes"] = notes.get(rid, [])
            row["tags"] = tags.get(rid, [])
            row["cluster_id"] = cluster[0] if cluster else None
            row["canonical"] = cluster[1] if cluster else None
            row["source_database"], row["source_file"] = batches.get(r.batch_id, ("", ""))
            row["citation_key"] = keys[rid]
            yield row


def write_export(store: Store, fmt: str, out: TextIO, flt: ExportFilter | None = None) -> int:
    """Write the records passing `flt` in `fmt` (csv, json, ris, bibtex); the number written."""
    writer = exports.RECORD_WRITERS.get(fmt)
    if writer is None:
        raise InvalidInputError(
            f"unknown export format {fmt!r}", hint="one of: " + ", ".join(exports.RECORD_WRITERS)
        )
    rows = export_rows(store, flt)
    if fmt == "csv":
        return exports.write_records_csv(rows, out, stages=review_stages(store))
    return int(writer(rows, out))
