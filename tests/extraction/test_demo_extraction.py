"""The demo review's extraction: fourteen included studies by two reviewers, one
disagreement, one study with two reports."""

from __future__ import annotations

import csv
from pathlib import Path

from corpora.service import DEMO_DIR, create_demo_review
from extraction.reconcile import reconcile
from extraction.storage import get_form
from review.studies import list_studies
from tests.extraction.demo_review import load_bundled_extraction


def _csv(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_demo_extraction_has_one_disagreement(tmp_path: Path) -> None:
    built = create_demo_review(tmp_path)
    ex = load_bundled_extraction(built.store)
    rows = _csv("extractions.csv")
    assert len(ex.studies) == len({r["source_key"] for r in rows}) and ex.values == len(rows)
    fv = get_form(built.store, "obc")
    open_ = [
        (s, d.field, d.values)
        for s in ex.studies
        for d in reconcile(built.store, fv, s, decided_by="lead").open
    ]
    assert open_ == [(ex.studies[0], "risk_of_bias", {"ana": "some_concerns", "ben": "high"})]
    two = [v for v in list_studies(built.store) if len(v.reports) > 1]
    assert [len(v.reports) for v in two] == [2] and two[0].id in ex.studies
    built.store.dispose()


def test_demo_studies_are_included_records() -> None:
    """Every record the demo extracts (and every further report) is labelled included."""
    included = {r["source_key"] for r in _csv("labels.csv") if r["label_included"] == "1"}
    keys = {r["source_key"] for r in _csv("extractions.csv")}
    keys |= {r["report_key"] for r in _csv("study_reports.csv")}
    assert keys and keys <= included


def test_the_demo_includes_the_studies_it_extracts(tmp_path: Path) -> None:
    """`litsift demo`: PRISMA's included studies are the studies extraction and synthesis
    count (both screeners included their records at title/abstract and full text)."""
    import json

    from typer.testing import CliRunner

    from review.opening import open_review
    from review.prisma import prisma_counts
    from tui.cli import app

    r = CliRunner().invoke(app, ["demo", "--json", "--keep", str(tmp_path / "d")])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    store = open_review(doc["path"], create=False)
    assert prisma_counts(store).to_json()["new_studies"] == len(doc["extraction_studies"]) > 0
