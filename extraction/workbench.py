"""What the extraction screens of the app ask for: the studies to extract with one reviewer's
status, a study's reports, the reviewer's own extraction (blind: never another reviewer's
values), removing a row of a repeating group, and reconciliation as seen by one person.

Plain functions over a Store, one unit of work each, so the app calls them from workers and
tests call them directly. Values are written through `ExtractionSession.set`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from extraction import reconcile as rec
from extraction.service import ExtractionSession
from extraction.storage import ExtractionData, FormVersion, load
from review.annotation import list_annotations
from review.audited import add_audit
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.extraction_tables import CONSENSUS
from review.models import Record
from review.prisma import prisma_counts
from review.prisma_tables import Study, StudyReport
from review.records import RecordView, get_record
from review.settings import protocol
from review.studies import StudyView, list_studies, study_name

NOT_STARTED = "not_started"


@dataclass(frozen=True)
class StudyRow:
    """A study in the extraction list: the reviewer's own status (`not_started`,
    `in_progress`, `complete`, or `reconciled` once the consensus is), how many reviewers
    (other than the consensus) have extracted it and how many of them are complete.
    An included report in no study yet has `id` 0 and its `record` (a study of its own,
    made by `study_for_record` when someone starts extracting it)."""

    id: int
    name: str
    status: str
    extractors: int = 0
    complete: int = 0
    reconciled: bool = False
    record: int = 0


@dataclass(frozen=True)
class Worklist:
    """The studies to extract under a form (included reports in no study come last, each a
    study of its own, as PRISMA counts them)."""

    form: FormVersion
    extractors: int
    studies: tuple[StudyRow, ...]


@dataclass(frozen=True)
class Report:
    """A report of a study: the record, its notes and attached full texts."""

    record: RecordView
    notes: tuple[str, ...]
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class OwnExtraction(ExtractionData):
    """One reviewer's extraction of a study under `form` (id 0, `not_started` and empty when
    not started). `others` counts the other reviewers' extractions; their values are never
    loaded here."""

    form: FormVersion = field(kw_only=True)
    others: int = 0


def pick_form(store: Store, name: str | None = None) -> FormVersion:
    """The form to extract with: the named one, or the only one (latest version)."""
    return ExtractionSession(store).form(name)


def worklist(store: Store, reviewer: str, form: str | None = None) -> Worklist:
    """Studies with an included report or an extraction under the form, in study order."""
    fv = pick_form(store, form)
    counts = prisma_counts(store)
    included = set(counts.dbr.included) | set(counts.other.included)
    by_study: dict[int, list[ExtractionData]] = {}
    for d in load(store, fv):
        by_study.setdefault(d.study, []).append(d)
    rows: list[StudyRow] = []
    linked: set[int] = set()
    studies = {st.id: st for st in list_studies(store)}
    with store.session() as s:  # studies extracted though they have no report
        bare = s.exec(select(Study).where(col(Study.id).in_(set(by_study) - set(studies))))
        for b in bare:
            assert b.id is not None
            studies[b.id] = StudyView(b.id, b.name)
    for st in sorted(studies.values(), key=lambda v: v.id):
        linked.update(st.reports)
        exts = by_study.get(st.id, [])
        if not exts and not included & set(st.reports):
            continue
        people = [d for d in exts if d.reviewer != CONSENSUS]
        mine = next((d.status for d in people if d.reviewer == reviewer), NOT_STARTED)
        cons = next((d for d in exts if d.reviewer == CONSENSUS), None)
        done = cons is not None and cons.status == "reconciled"
        rows.append(
            StudyRow(
                st.id,
                st.name or (st.titles[0] if st.titles else f"study {st.id}"),
                "reconciled" if done and mine != NOT_STARTED else mine,
                len(people),
                sum(d.status != "in_progress" for d in people),
                done,
            )
        )
    for rid in sorted(included - linked):
        rows.append(StudyRow(0, get_record(store, rid).title, NOT_STARTED, record=rid))
    return Worklist(fv, protocol(store).extractors, tuple(rows))


def study_for_record(store: Store, record_id: int, *, actor: str) -> int:
    """The study of an included report, made (a study of its own, audited) when it has none."""
    with store.session() as s:
        link = s.exec(
            select(StudyReport).where(
                StudyReport.record_id == record_id, col(StudyReport.removed_at).is_(None)
            )
        ).first()
        if link is not None:
            return link.study_id
        rec_ = s.get(Record, record_id)
        if rec_ is None:
            raise NotFoundError(f"no record with id {record_id}")
        study = Study(name=study_name(rec_.title), actor=actor)
        s.add(study)
        s.flush()
        assert study.id is not None
        s.add(StudyReport(study_id=study.id, record_id=record_id, actor=actor))
        add_audit(
            s,
            actor,
            "study-link",
            f"study:{study.id}",
            {"records": [record_id], "why": "extraction started"},
        )
        return study.id


def study_reports(store: Store, study: int) -> list[Report]:
    """The reports of a study with their notes and attached full texts."""
    from review.studies import get_study

    out = []
    for rid in get_study(store, study).reports:
        notes = tuple(a.value for a in list_annotations(store, rid, kind="note"))
        files = tuple(a.value for a in list_annotations(store, rid, kind="attachment"))
        out.append(Report(get_record(store, rid), notes, files))
    return out


def own_extraction(store: Store, fv: FormVersion, study: int, reviewer: str) -> OwnExtraction:
    """The reviewer's own extraction of a study. With two extractors a second reviewer must
    not start a third extraction (there would be nothing to reconcile it with)."""
    mine = load(store, fv, study=study, reviewer=reviewer)
    everyone = [d.reviewer for d in load(store, fv, study=study) if d.reviewer != CONSENSUS]
    others = len([r for r in everyone if r != reviewer])
    if not mine and protocol(store).extractors == 2 and others >= 2:
        raise InvalidInputError(
            f"study {study} is already extracted by two reviewers",
            hint="reconcile their extractions (key r) instead of starting a third",
        )
    if not mine:
        return OwnExtraction(0, study, reviewer, NOT_STARTED, form=fv, others=others)
    d = mine[0]
    return OwnExtraction(
        d.id, study, reviewer, d.status, d.values, d.rows, d.actors, form=fv, others=others
    )


def remove_row(
    store: Store, fv: FormVersion, study: int, reviewer: str, group: str, row: int
) -> int:
    """Remove a row of a repeating group: the rows below move up one (each change written
    and audited as a value like any other) and the last row's cells are cleared; nothing
    is deleted. Returns how many rows are left."""
    g = fv.form.field(group)
    if not g.is_group:
        raise InvalidInputError(f"{group} is not a repeating group")
    ex = ExtractionSession(store)
    mine = load(store, fv, study=study, reviewer=reviewer)
    have = {} if not mine else mine[0].rows.get(group, {})
    n = max((i for i, r in have.items() if any(v is not None for v in r.values())), default=0)
    if not 1 <= row <= n:
        raise InvalidInputError(f"{group} has no row {row}")
    for i in range(row, n + 1):
        below = have.get(i + 1, {}) if i < n else {}
        for c in g.fields:
            new, old = below.get(c.name), have.get(i, {}).get(c.name)
            if new != old:
                ex.set(study, c.path, new, reviewer=reviewer, row=i, form=fv.name)
    return n - 1


def reconciliation(
    store: Store, fv: FormVersion, study: int, viewer: str, tolerance: float = rec.DEFAULT_TOLERANCE
) -> rec.Reconciliation:
    """The study's disagreements as `viewer` may see them: one of the two extractors sees the
    other's values only once both extractions are complete (dual extraction is blind)."""
    people = [d for d in load(store, fv, study=study) if d.reviewer != CONSENSUS]
    if viewer in {d.reviewer for d in people}:
        open_ = [d.reviewer for d in people if d.status == "in_progress"]
        if open_:
            raise InvalidInputError(
                f"study {study}: {' and '.join(open_)} not complete yet; you extracted it, so "
                "the other extraction stays hidden until both are complete",
                hint="mark your extraction complete (Ctrl+S), or let someone else reconcile",
            )
    return rec.reconcile(store, fv, study, decided_by=viewer, tolerance=tolerance)


def decide(
    store: Store, fv: FormVersion, study: int, path: str, value: Any, *, by: str, row: int = 0
) -> Any:
    """Record a consensus value (a reviewer's typed value or typed text) decided by `by`."""
    return rec.decide(store, fv, study, path, value, decided_by=by, row=row)
