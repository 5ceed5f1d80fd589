"""The demo review's extraction: the outcomes-based-contracting form and fourteen included
studies (records labelled included in `labels.csv`) extracted by two reviewers who agree on
everything but one value (a disagreement left to reconcile). One study has two reports
(`study_reports.csv`), so that synthesis counts studies, not reports."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from extraction.storage import add_form, get_form, set_status, set_value
from review import settings
from review.audited import add_audit
from review.db import Store
from review.models import Record
from review.prisma_tables import Study, StudyReport
from review.studies import study_name


@dataclass(frozen=True)
class DemoExtraction:
    """What the demo extraction added."""

    form: str
    studies: tuple[int, ...]
    values: int


def _extra_reports(path: Path | None) -> dict[str, list[str]]:
    if path is None or not path.exists():
        return {}
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["source_key"], []).append(r["report_key"])
    return out


def load_demo_extraction(
    store: Store, form_file: Path, values_file: Path, reports_file: Path | None = None
) -> DemoExtraction:
    """Add the demo form, make a study of each record named in `values_file` (by source key)
    and enter its values for each reviewer; the protocol gets two extractors. `reports_file`
    (source_key, report_key) links further reports to a study."""
    added = add_form(store, form_file.read_text(encoding="utf-8"), actor="demo")
    fv = get_form(store, added.form.name)
    proto = settings.protocol(store)
    settings.save(store, proto.model_copy(update={"extractors": 2}), actor="demo")
    with values_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = list(dict.fromkeys(r["source_key"] for r in rows))
    extra = _extra_reports(reports_file)
    study_of: dict[str, int] = {}
    with store.session() as s:
        wanted = keys + [k for ks in extra.values() for k in ks]
        by_key = {
            r.source_key: r
            for r in s.exec(select(Record).where(col(Record.source_key).in_(wanted))).all()
        }
        for key in (k for k in keys if k in by_key):
            rec = by_key[key]
            study = Study(name=study_name(rec.title), actor="demo")
            s.add(study)
            s.flush()
            reports = [rec, *(by_key[k] for k in extra.get(key, []) if k in by_key)]
            ids = [r.id for r in reports if r.id is not None]
            assert study.id is not None
            for rid in ids:
                s.add(StudyReport(study_id=study.id, record_id=rid, actor="demo"))
            add_audit(s, "demo", "study-link", f"study:{study.id}", {"records": ids})
            study_of[key] = study.id
    n = 0
    for r in rows:
        if r["source_key"] in study_of:
            set_value(
                store,
                fv,
                study_of[r["source_key"]],
                r["field"],
                r["value"],
                reviewer=r["reviewer"],
                row=int(r["row"]),
            )
            n += 1
    for sid in study_of.values():
        for who in sorted({r["reviewer"] for r in rows}):
            set_status(store, fv, sid, who, "complete")
    return DemoExtraction(fv.name, tuple(study_of.values()), n)
