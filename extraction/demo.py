"""The demo review's extraction: the outcomes-based-contracting form and three included
studies extracted by two reviewers (one disagreement left to reconcile)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select

from extraction.storage import add_form, get_form, set_status, set_value
from review import settings
from review.db import Store
from review.models import AuditEntry, Record
from review.prisma_tables import Study, StudyReport


@dataclass(frozen=True)
class DemoExtraction:
    """What the demo extraction added."""

    form: str
    studies: tuple[int, ...]
    values: int


def load_demo_extraction(store: Store, form_file: Path, values_file: Path) -> DemoExtraction:
    """Add the demo form, make a study of each record named in `values_file` (by source key)
    and enter its values for each reviewer; the protocol gets two extractors."""
    added = add_form(store, form_file.read_text(encoding="utf-8"), actor="demo")
    fv = get_form(store, added.form.name)
    proto = settings.protocol(store)
    settings.save(store, proto.model_copy(update={"extractors": 2}), actor="demo")
    with values_file.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = list(dict.fromkeys(r["source_key"] for r in rows))
    study_of: dict[str, int] = {}
    with store.session() as s:
        recs = s.exec(select(Record).where(col(Record.source_key).in_(keys))).all()
        for rec in sorted(recs, key=lambda r: keys.index(r.source_key)):
            study = Study(name=rec.title[:80], actor="demo")
            s.add(study)
            s.flush()
            assert study.id is not None and rec.id is not None
            s.add(StudyReport(study_id=study.id, record_id=rec.id, actor="demo"))
            s.add(
                AuditEntry(
                    actor="demo",
                    action="study-link",
                    target=f"study:{study.id}",
                    detail={"records": [rec.id]},
                )
            )
            study_of[rec.source_key] = study.id
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
