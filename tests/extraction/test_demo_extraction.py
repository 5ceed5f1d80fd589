"""The demo review's extraction: three studies by two reviewers, one disagreement."""

from __future__ import annotations

from pathlib import Path

from corpora.service import DEMO_DIR, create_demo_review
from extraction.demo import load_demo_extraction
from extraction.reconcile import reconcile
from extraction.storage import get_form


def test_demo_extraction_has_one_disagreement(tmp_path: Path) -> None:
    built = create_demo_review(tmp_path)
    ex = load_demo_extraction(built.store, DEMO_DIR / "obc_form.yaml", DEMO_DIR / "extractions.csv")
    assert len(ex.studies) == 3 and ex.values == 54
    fv = get_form(built.store, "obc")
    open_ = [
        (s, d.field, d.values)
        for s in ex.studies
        for d in reconcile(built.store, fv, s, decided_by="lead").open
    ]
    assert open_ == [(ex.studies[0], "risk_of_bias", {"ana": "some_concerns", "ben": "high"})]
    built.store.dispose()
