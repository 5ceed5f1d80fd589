"""The demo review with its extraction, built once per test module, and the demo extraction
CSV read with plain Python (the independent source of the tables' hand counts)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from corpora.service import DEMO_DIR, create_demo_review
from extraction.demo import DemoExtraction, load_demo_extraction
from review.db import Store

# the second reviewer types country codes; the first, names (same countries)
CODES = {"GB": "United Kingdom", "US": "United States", "NL": "Netherlands"}


@dataclass(frozen=True)
class Demo:
    db: str
    study_of: dict[str, int]  # source key -> study id


def load_bundled_extraction(store: Store) -> DemoExtraction:
    """The demo corpus's form, extractions and study reports, loaded into `store`."""
    return load_demo_extraction(
        store,
        DEMO_DIR / "obc_form.yaml",
        DEMO_DIR / "extractions.csv",
        DEMO_DIR / "study_reports.csv",
    )


def build_demo(folder: Path) -> Demo:
    built = create_demo_review(folder)
    ex = load_bundled_extraction(built.store)
    built.store.dispose()
    keys = list(dict.fromkeys(r["source_key"] for r in csv_rows()))
    return Demo(str(built.path), dict(zip(keys, ex.studies, strict=True)))


def csv_rows() -> list[dict[str, str]]:
    with (DEMO_DIR / "extractions.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def agreed_values() -> dict[str, dict[str, set[str]]]:
    """source key -> field -> the set of values both reviewers gave (a multiple choice split
    on ';', group columns over all rows); a field where they differ is left out."""
    by: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in csv_rows():
        vals = (
            [v.strip() for v in r["value"].split(";")]
            if r["field"] == "bias_domains"
            else [r["value"]]
        )
        by[(r["source_key"], r["reviewer"], r["field"])] |= {CODES.get(v, v) for v in vals}
    out: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for (key, who, field), vals in by.items():
        if who == "ana" and by.get((key, "ben", field)) == vals:
            out[key][field] = vals
    return out
