"""The demo review's two screeners: a first reviewer whose decisions follow `labels.csv` and
a second reviewer (`second_reviewer.csv`) who screened the same 40 records blind and
disagrees on a few, so that the conflict queue and the agreement figures show something on
first run. The demo protocol is in dual mode; a person opening the demo screens the rest.

`litsift demo` also extracts data from some studies; `include_extracted_studies` records that
both screeners included their records at title/abstract and at full text, so PRISMA's included
studies are the ones extraction and synthesis count."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import col, select

from review.db import Store
from review.decisions import add_decision
from review.models import Decision, ImportBatch, Record

FIRST_REVIEWER = "rosa"
SECOND_REVIEWER = "kofi"


def _labels(path: Path) -> dict[tuple[str, str], str]:
    with path.open(newline="", encoding="utf-8") as f:
        return {
            (r["file"], r["source_key"]): "include" if r["label_included"] == "1" else "exclude"
            for r in csv.DictReader(f)
        }


def load_demo_decisions(store: Store, demo_dir: Path) -> int:
    """Record both demo reviewers' decisions on the records of `second_reviewer.csv`;
    returns how many records they screened."""
    truth = _labels(demo_dir / "labels.csv")
    second = _labels(demo_dir / "second_reviewer.csv")
    with store.session() as s:
        ids = {
            (file, key): rid
            for rid, file, key in s.exec(
                Record.__table__.join(ImportBatch.__table__)  # type: ignore[attr-defined]
                .select()
                .with_only_columns(Record.id, ImportBatch.file_name, Record.source_key)  # type: ignore[arg-type]
            ).all()
        }
        for ref, label in second.items():
            rid = ids[ref]
            add_decision(s, rid, truth[ref], reviewer=FIRST_REVIEWER, note="demo")
            add_decision(s, rid, label, reviewer=SECOND_REVIEWER, note="demo")
    return len(second)


def include_extracted_studies(store: Store, demo_dir: Path) -> int:
    """Both screeners include the records behind the demo's extracted studies at
    title/abstract (where they have not screened them yet) and at full text; returns how many
    records."""
    keys = _extracted_keys(demo_dir)
    with store.session() as s:
        rows = s.exec(
            select(Record.id, Record.source_key).where(col(Record.source_key).in_(keys))
        ).all()
        screened = {
            (rid, who)
            for rid, who in s.exec(
                select(Decision.record_id, Decision.reviewer).where(
                    Decision.stage == "title-abstract"
                )
            ).all()
        }
        for rid, _ in rows:
            assert rid is not None
            for stage in ("title-abstract", "full-text"):
                for who in (FIRST_REVIEWER, SECOND_REVIEWER):
                    if stage == "title-abstract" and (rid, who) in screened:
                        continue
                    add_decision(s, rid, "include", stage=stage, reviewer=who, note="demo")
    return len(rows)


def _extracted_keys(demo_dir: Path) -> set[str]:
    """Source keys of the records behind the demo's extracted studies."""
    keys: set[str] = set()
    for name, columns in (
        ("extractions.csv", ("source_key",)),
        ("study_reports.csv", ("source_key", "report_key")),
    ):
        path = demo_dir / name
        if path.exists():
            with path.open(newline="", encoding="utf-8") as f:
                keys |= {r[c] for r in csv.DictReader(f) for c in columns}
    return keys
