"""The demo review's two screeners: a first reviewer whose decisions follow `labels.csv` and
a second reviewer (`second_reviewer.csv`) who screened the same 40 records blind and
disagrees on a few, so that the conflict queue and the agreement figures show something on
first run. The records whose studies the demo extracts (`extractions.csv`, `study_reports.csv`)
were included by both at title/abstract and at full text, so PRISMA's included studies are the
ones the synthesis counts. The demo protocol is in dual mode; a person opening the demo screens
the rest."""

from __future__ import annotations

import csv
from pathlib import Path

from review.db import Store
from review.decisions import add_decision
from review.models import ImportBatch, Record

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
    second_keys = {key for _, key in second}
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
        by_key = {key: rid for (_, key), rid in ids.items()}
        for key in sorted(_extracted_keys(demo_dir)):
            for stage in ("title-abstract", "full-text"):
                for who in (FIRST_REVIEWER, SECOND_REVIEWER):
                    if stage == "title-abstract" and (key in second_keys):
                        continue  # already screened above
                    add_decision(s, by_key[key], "include", stage=stage, reviewer=who, note="demo")
    return len(second)


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
