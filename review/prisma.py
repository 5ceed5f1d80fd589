"""PRISMA 2020 flow-diagram counts, computed from what happened in the review.

Every record falls in exactly one place, decided in this order: removed as a duplicate,
marked ineligible by an automation rule, removed for another reason, never screened because
screening stopped under the stopping rule, then its settled title/abstract label (from
`review.consensus.final_labels`, the one answer to "what was decided") and, when included,
its settled full-text label. So the boxes add up by construction:

    identified − removed = screened;   screened − excluded = sought;
    sought − not retrieved = assessed; assessed − excluded = included reports

(while records still await a settled decision they are reported as pending, and the second
and fourth equalities hold once nothing is pending). The left column holds records from
databases and registers; the right, records from other methods (websites, organisations,
citation searching), whose removals and screening the template has no box for: they are in
`details`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import select

from review import automation, settings, studies
from review.consensus import FinalLabel, final_labels
from review.db import Store
from review.models import ImportBatch, Record
from review.sources import DATABASE_COLUMN


@dataclass
class Column:
    """The counts of one column of the diagram."""

    identified: int = 0
    duplicates: int = 0
    automatic: Counter[str] = field(default_factory=Counter)  # rule or stop note -> n
    other: Counter[str] = field(default_factory=Counter)  # reason -> n
    screened: int = 0
    excluded: int = 0
    pending: int = 0  # screened records with no settled include/exclude yet
    sought: int = 0
    not_retrieved: int = 0
    ft_excluded: Counter[str] = field(default_factory=Counter)  # reason -> n
    ft_pending: int = 0
    included: list[int] = field(default_factory=list)  # record ids of included reports

    @property
    def removed(self) -> int:
        """Records removed before screening."""
        return self.duplicates + sum(self.automatic.values()) + sum(self.other.values())

    @property
    def assessed(self) -> int:
        return self.sought - self.not_retrieved


@dataclass
class PrismaCounts:
    """The diagram's numbers (see `to_json` for the PRISMA2020 R package's names)."""

    dbr: Column
    other: Column
    database_specific: list[tuple[str, int]]
    register_specific: list[tuple[str, int]]
    by_type: dict[str, int]
    new_studies: int
    previous_studies: int
    previous_reports: int
    reasons_order: list[str]
    stopped: dict[str, Any] | None = None

    @property
    def new_reports(self) -> int:
        return len(self.dbr.included) + len(self.other.included)

    def _reasons(self, c: Counter[str]) -> list[dict[str, Any]]:
        order = {r: i for i, r in enumerate(self.reasons_order)}
        stop = len(order) + 1  # records never screened after a stop come last
        keys = sorted(
            c, key=lambda r: (stop if r.startswith(STOP_PREFIX) else order.get(r, len(order)), r)
        )
        return [{"reason": k, "n": c[k]} for k in keys if c[k]]

    def to_json(self) -> dict[str, Any]:
        """The counts keyed by the PRISMA2020 R package's data names, plus `details`."""
        d, o = self.dbr, self.other
        return {
            "previous_studies": self.previous_studies,
            "previous_reports": self.previous_reports,
            "database_results": self.by_type.get("database", 0),
            "database_specific_results": [{"name": n, "n": k} for n, k in self.database_specific],
            "register_results": self.by_type.get("register", 0),
            "register_specific_results": [{"name": n, "n": k} for n, k in self.register_specific],
            "website_results": self.by_type.get("website", 0),
            "organisation_results": self.by_type.get("organisation", 0),
            "citations_results": self.by_type.get("citation", 0),
            "duplicates": d.duplicates,
            "excluded_automatic": sum(d.automatic.values()),
            "excluded_other": sum(d.other.values()),
            "records_screened": d.screened,
            "records_excluded": d.excluded,
            "dbr_sought_reports": d.sought,
            "dbr_notretrieved_reports": d.not_retrieved,
            "dbr_assessed": d.assessed,
            "dbr_excluded": self._reasons(d.ft_excluded),
            "other_sought_reports": o.sought,
            "other_notretrieved_reports": o.not_retrieved,
            "other_assessed": o.assessed,
            "other_excluded": self._reasons(o.ft_excluded),
            "new_studies": self.new_studies,
            "new_reports": self.new_reports,
            "total_studies": self.new_studies + self.previous_studies,
            "total_reports": self.new_reports + self.previous_reports,
            "details": {
                "excluded_automatic": self._reasons(d.automatic),
                "excluded_other": self._reasons(d.other),
                "other_methods_before_retrieval": {
                    "identified": o.identified,
                    "duplicates": o.duplicates,
                    "excluded_automatic": sum(o.automatic.values()),
                    "excluded_other": sum(o.other.values()),
                    "records_screened": o.screened,
                    "records_excluded": o.excluded,
                },
                "pending": {
                    "title-abstract": d.pending + o.pending,
                    "full-text": d.ft_pending + o.ft_pending,
                },
                "screening_stopped": self.stopped,
            },
        }

    def warnings(self) -> list[str]:
        """What keeps the diagram from being final."""
        out = []
        ta = self.dbr.pending + self.other.pending
        ft = self.dbr.ft_pending + self.other.ft_pending
        if ta:
            out.append(f"{ta} screened records have no settled title/abstract decision yet")
        if ft:
            reports = "1 report has" if ft == 1 else f"{ft} reports have"
            out.append(f"{reports} no settled full-text decision yet")
        return out


STOP_PREFIX = "not screened: screening stopped"


def stop_note(stopped: dict[str, Any], *, full: bool = False) -> str:
    """The line for records never screened after stopping: with the recall estimate it
    stopped at (`full`: a sentence for the diagram's notes)."""
    if stopped.get("recall") is not None:
        est = f"estimated recall {stopped['recall']:.0%}"
    elif stopped.get("recall_low") is not None:
        est = f"recall ≥ {stopped['recall_low']:.0%}"
    else:
        est = ""
    if not full:
        return f"{STOP_PREFIX}" + (f" ({est})" if est else "")
    text = f"{STOP_PREFIX} under the stopping rule" + (f" at {est}" if est else "")
    target = stopped.get("target")
    if stopped.get("forced") and target:
        text += f", before the rule showed {target:.0%} recall"
    return text


def is_not_retrieved(reason: str) -> bool:
    """Whether a full-text exclusion reason means the report could not be obtained
    (settings.NOT_RETRIEVED, or a protocol's own wording such as "not retrievable")."""
    r = reason.strip().lower()
    return r == settings.NOT_RETRIEVED or r.startswith("not retriev")


def _label(
    rid: int, labels: dict[int, FinalLabel], copies: dict[int, list[int]]
) -> FinalLabel | None:
    """A record's settled label, or one settled on a duplicate of it (decisions made on any
    copy of a publication carry over)."""
    if rid in labels:
        return labels[rid]
    return next((labels[c] for c in copies.get(rid, ()) if c in labels), None)


def prisma_counts(store: Store) -> PrismaCounts:
    """Count every PRISMA 2020 box of the review."""
    protocol = settings.protocol(store)
    with store.session() as s:  # plain tuples: this runs over every record
        batches = {
            int(b.id or 0): (b.source_type, b.source_name or b.file_name)
            for b in s.exec(select(ImportBatch)).all()
        }
    table = Record.__table__  # type: ignore[attr-defined]
    with store.begin() as conn:
        records = conn.execute(sa_select(table.c.id, table.c.batch_id).order_by(table.c.id)).all()
    dups = automation.duplicate_ids(store)
    copies: dict[int, list[int]] = {}
    for rid, canon in dups.items():
        copies.setdefault(canon, []).append(rid)
    auto: dict[int, str] = {}
    other: dict[int, str] = {}
    for r in automation.active_removals(store):
        if r.kind == "automation":
            auto.setdefault(r.record_id, f"rule: {r.rule}")
        else:
            other.setdefault(r.record_id, r.reason)
    stopped = automation.get_stop(store, "title-abstract")
    ta = final_labels(store, "title-abstract")
    ft = final_labels(store, "full-text")

    dbr, oth = Column(), Column()
    by_type: Counter[str] = Counter()
    per_source: dict[str, Counter[str]] = {"database": Counter(), "register": Counter()}
    for rid, batch_id in records:
        source_type, source_name = batches[batch_id]
        by_type[source_type] += 1
        if source_type in per_source:
            per_source[source_type][source_name] += 1
        c = dbr if source_type in DATABASE_COLUMN else oth
        c.identified += 1
        if rid in dups:
            c.duplicates += 1
        elif rid in auto:
            c.automatic[auto[rid]] += 1
        elif rid in other:
            c.other[other[rid]] += 1
        else:
            _screen(c, rid, _label(rid, ta, copies), stopped, lambda r: _label(r, ft, copies))
    reports = dbr.included + oth.included
    return PrismaCounts(
        dbr=dbr,
        other=oth,
        database_specific=sorted(per_source["database"].items()),
        register_specific=sorted(per_source["register"].items()),
        by_type=dict(by_type),
        new_studies=studies.count_studies(store, reports),
        previous_studies=protocol.previous_studies,
        previous_reports=protocol.previous_reports,
        reasons_order=list(protocol.exclusion_reasons),
        stopped=stopped,
    )


def _screen(
    c: Column,
    rid: int,
    ta: FinalLabel | None,
    stopped: dict[str, Any] | None,
    full_text: Any,
) -> None:
    """Place one record that reached screening."""
    if ta is None and stopped is not None:
        c.automatic[stop_note(stopped)] += 1
        return
    c.screened += 1
    if ta is None or ta.label not in ("include", "exclude"):
        c.pending += 1
        return
    if ta.label == "exclude":
        c.excluded += 1
        return
    c.sought += 1
    f: FinalLabel | None = full_text(rid)
    if f is None or f.label not in ("include", "exclude"):
        c.ft_pending += 1
    elif f.label == "include":
        c.included.append(rid)
    elif is_not_retrieved(f.reason):
        c.not_retrieved += 1
    else:
        c.ft_excluded[f.reason.strip() or "no reason given"] += 1
