"""The demo review's two screeners: a first reviewer whose decisions follow `labels.csv` and
a second reviewer (`second_reviewer.csv`) who screened the same 40 records blind and
disagrees on a few, so that the conflict queue and the agreement figures show something on
first run. The demo protocol is in dual mode; a person opening the demo screens the rest."""

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
