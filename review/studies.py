"""Studies and their reports: several records (reports) can describe one study.

PRISMA counts included reports and included studies apart; a report linked to no study is a
study of its own. Links are never deleted: unlinking sets `removed_at`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from review.audited import add_audit, require_records
from review.db import Store
from review.errors import InvalidInputError, NotFoundError
from review.models import Record, utcnow
from review.prisma_tables import Study, StudyReport

STUDY_NAME_CHARS = 80


def study_name(title: str) -> str:
    """A study's name made from its report's title: the title, cut at a word to at most
    STUDY_NAME_CHARS characters with "…" when it is longer (the record keeps the whole title)."""
    title = " ".join(title.split())
    if len(title) <= STUDY_NAME_CHARS:
        return title
    cut = title[: STUDY_NAME_CHARS - 1]
    if " " in cut and not title[STUDY_NAME_CHARS - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


@dataclass
class StudyView:
    """A study with its reports (record ids and titles)."""

    id: int
    name: str
    reports: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


def _active_links(s: Session, record_ids: Iterable[int] | None = None) -> list[StudyReport]:
    q = select(StudyReport).where(col(StudyReport.removed_at).is_(None))
    if record_ids is not None:
        q = q.where(col(StudyReport.record_id).in_(list(record_ids)))
    return list(s.exec(q.order_by(col(StudyReport.id))).all())


def link_reports(
    store: Store, record_ids: list[int], *, name: str = "", actor: str = ""
) -> StudyView:
    """Make these records reports of one study. When some already belong to studies, the
    first such study takes in the others (their other reports included). One record in no
    study becomes a study of its own, named after its title (what extraction works on)."""
    ids = list(dict.fromkeys(record_ids))
    if not ids:
        raise InvalidInputError("link needs a record", hint="litsift study link REC [REC ...]")
    with store.session() as s:
        require_records(s, ids)
        links = _active_links(s, ids)
        by_record = {lk.record_id: lk.study_id for lk in links}
        target = next((by_record[r] for r in ids if r in by_record), None)
        if target is None:
            if not name and len(ids) == 1:
                only = s.get(Record, ids[0])
                name = study_name(only.title) if only is not None else ""
            study = Study(name=name, actor=actor)
            s.add(study)
            s.flush()
            assert study.id is not None
            target = study.id
        elif name:
            named = s.get(Study, target)
            assert named is not None
            named.name = name
            s.add(named)
        absorbed = {sid for sid in by_record.values() if sid != target}
        members = set(ids) | {
            lk.record_id
            for lk in s.exec(
                select(StudyReport).where(
                    col(StudyReport.study_id).in_(absorbed), col(StudyReport.removed_at).is_(None)
                )
            ).all()
        }
        now = utcnow()
        for lk in _active_links(s, members):
            if lk.study_id != target:
                lk.removed_at = now
                s.add(lk)
        have = {lk.record_id for lk in _active_links(s, members) if lk.study_id == target}
        for rid in sorted(members - have):
            s.add(StudyReport(study_id=target, record_id=rid, actor=actor))
        add_audit(s, actor, "study-link", f"study:{target}", {"records": sorted(members)})
    return get_study(store, target)


def unlink_reports(store: Store, record_ids: list[int], *, actor: str = "") -> int:
    """Take these records out of their studies; returns how many links ended."""
    with store.session() as s:
        now = utcnow()
        links = _active_links(s, record_ids)
        for lk in links:
            lk.removed_at = now
            s.add(lk)
        add_audit(s, actor, "study-unlink", "records", {"records": [lk.record_id for lk in links]})
    return len(links)


def get_study(store: Store, study_id: int) -> StudyView:
    """One study with its reports."""
    views = {v.id: v for v in list_studies(store)}
    if study_id not in views:
        raise NotFoundError(f"no study {study_id}", hint="see `litsift study list`")
    return views[study_id]


def list_studies(store: Store) -> list[StudyView]:
    """Studies with at least one report, in creation order."""
    with store.session() as s:
        rows = s.exec(
            select(Study.id, Study.name, StudyReport.record_id, Record.title)
            .join(StudyReport, col(StudyReport.study_id) == Study.id)
            .join(Record, col(Record.id) == StudyReport.record_id)
            .where(col(StudyReport.removed_at).is_(None))
            .order_by(col(Study.id), col(StudyReport.record_id))
        ).all()
    out: dict[int, StudyView] = {}
    for sid, name, rid, title in rows:
        v = out.setdefault(int(sid), StudyView(int(sid), name))  # type: ignore[arg-type]
        v.reports.append(int(rid))
        v.titles.append(title)
    return list(out.values())


def study_of(store: Store) -> dict[int, int]:
    """Record id → its study id, for records linked to a study."""
    with store.session() as s:
        return {lk.record_id: lk.study_id for lk in _active_links(s)}


def count_studies(store: Store, report_ids: Iterable[int]) -> int:
    """How many studies these reports make (an unlinked report is a study of its own)."""
    linked = study_of(store)
    return len({("s", linked[r]) if r in linked else ("r", r) for r in report_ids})
