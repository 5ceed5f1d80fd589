"""Building the demo review from the bundled corpus in `corpora/demo/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpora.demo_decisions import load_demo_decisions
from review import service as review_service
from review import settings
from review.db import Store
from review.dedup.queries import DedupSummary
from review.dedup.service import run_dedup
from review.importing import ImportReport

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# (file, source name, source type) in the order a review team would import them.
DEMO_FILES = (
    ("scopus_export.ris", "Scopus", "database"),
    ("econlit_export.bib", "EconLit", "database"),
    ("grey_literature.csv", "Grey literature (organisations)", "organisation"),
)


@dataclass
class DemoReview:
    """The demo review that was built: its store and what importing did."""

    store: Store
    path: Path
    reports: list[ImportReport]
    dedup: DedupSummary | None = None


def demo_protocol() -> dict[str, Any]:
    """The demo review's protocol: question, eligibility criteria, keywords, reasons."""
    return json.loads((DEMO_DIR / "protocol.json").read_text(encoding="utf-8"))


def create_demo_review(directory: Path, *, deduplicate: bool = False) -> DemoReview:
    """Create `directory/review.db` holding the demo corpus and its protocol settings;
    with `deduplicate` (as `litsift demo` does), find its duplicates as a new user would
    before screening."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "review.db"
    store = review_service.open_review(str(path), name=demo_protocol()["name"])
    reports = load_demo(store)
    summary = run_dedup(store, actor="demo") if deduplicate else None
    return DemoReview(store, path, reports, summary)


def load_demo(store: Store) -> list[ImportReport]:
    """Import the demo corpus and its protocol into `store` (any backend)."""
    reports = []
    for file_name, source, source_type in DEMO_FILES:
        reports += review_service.import_files(
            store, [DEMO_DIR / file_name], source_name=source, source_type=source_type
        )
    settings.save(store, settings.parse_protocol(demo_protocol()))
    load_demo_decisions(store, DEMO_DIR)  # two reviewers, blind, with a few conflicts
    return reports
