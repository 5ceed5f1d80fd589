"""Cold start by BM25, the live ranker, and next_record with a ranker on a real review."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from review import service as review_service
from review.db import Store
from screening import service
from screening.bm25 import BM25, cold_start_order, protocol_query
from screening.live import LiveRanker
from screening.presets import get_preset
from screening.simulate import featurize

TEXTS = [
    "Road maintenance performance contracts in Chile",
    "A social impact bond for homelessness: outcomes and payments",
    "Green bond pricing and corporate bond markets",
    "Payment by results in welfare-to-work programmes: an evaluation",
    "Teacher merit pay and student test scores",
]
PROTOCOL = {
    "keywords": {
        "include": ["social impact bond", "payment by results", "welfare-to-work"],
        "exclude": ["green bond", "merit pay"],
    },
    "eligibility": {"include": ["outcome-based payment to providers"]},
}


def test_bm25_prefers_keyword_matches() -> None:
    pos, neg = protocol_query(PROTOCOL)
    s = BM25().fit(TEXTS).scores(pos, neg)
    assert set(np.argsort(-s)[:2]) == {1, 3}
    assert s[2] < s[0]  # "green bond" is an exclude keyword


def test_cold_start_without_a_protocol_keeps_import_order() -> None:
    assert cold_start_order(TEXTS, None).tolist() == [0, 1, 2, 3, 4]
    assert cold_start_order(TEXTS, PROTOCOL)[:2].tolist() in ([1, 3], [3, 1])


def test_live_ranker_serves_at_once_and_retrains_in_background() -> None:
    texts = [f"insulin diabetes trial {i}" for i in range(30)] + [
        f"road bridge contract {i}" for i in range(30)
    ]
    preset = get_preset(None)
    X = featurize(preset, texts, [""] * len(texts))
    live = LiveRanker(X, preset, texts=texts, protocol={"keywords": {"include": ["bridge"]}})
    try:
        first = live.next_row()
        assert first is not None and first >= 30  # cold start: the BM25 match
        live.decide(first, 0)
        live.decide(0, 1)
        t = time.perf_counter()
        nxt = live.next_row()
        assert time.perf_counter() - t < 0.05 and nxt is not None
        live.wait_idle()
        assert live.version >= 1
        assert all(r < 30 for r in live.ranking[:29].tolist())
        assert live.next_row() not in (0, first)
    finally:
        live.close()


@pytest.fixture
def demo_store(tmp_path: Path) -> Store:
    from corpora.service import create_demo_review

    demo = create_demo_review(tmp_path / "demo")
    yield demo.store
    demo.store.dispose()


def test_next_record_by_ranker_on_the_demo_review(demo_store: Store) -> None:
    plain = service.next_record(demo_store)
    assert plain is not None
    ranker = service.open_ranker(demo_store, reviewer="ana", background=False)
    try:
        rec = service.next_record(demo_store, reviewer="ana", ranker=ranker)
        assert rec is not None
        # the demo's two reviewers settled 36 records: the model trained on them (not the
        # keyword cold start) puts an included paper first
        import csv

        from corpora.service import DEMO_DIR

        with open(DEMO_DIR / "labels.csv", newline="", encoding="utf-8") as f:
            included = {r["source_key"] for r in csv.DictReader(f) if r["label_included"] == "1"}
        assert rec["source_key"] in included
        # a decision moves the ranking; decided records are never served again
        review_service.record_decision(demo_store, rec["id"], "include", reviewer="ana")
        ranker.decide(rec["id"], "include")
        other = service.next_record(demo_store, reviewer="ana", ranker=ranker)
        assert other is not None and other["id"] != rec["id"]
        review_service.record_decision(demo_store, other["id"], "exclude", reviewer="ana")
        ranker.decide(other["id"], "exclude")
        third = service.next_record(demo_store, reviewer="ana", ranker=ranker)
        assert third is not None and third["id"] not in (rec["id"], other["id"])
        assert ranker.ranker.version >= 1
    finally:
        ranker.close()


def test_new_imports_extend_the_features(demo_store: Store, tmp_path: Path) -> None:
    ranker = service.open_ranker(demo_store, reviewer="ana", background=False)
    try:
        before = ranker.cache.matrix
        assert before is not None
        n = before.shape[0]
        ris = tmp_path / "more.ris"
        ris.write_text(
            "TY  - JOUR\nID  - new1\nTI  - A social impact bond for recidivism: outcomes\nER  - \n"
        )
        review_service.import_files(demo_store, [ris], source_name="extra")
        assert ranker.refresh(demo_store) == 1
        after = ranker.cache.matrix
        assert after is not None and after.shape == (n + 1, before.shape[1])
        assert (after[:n] != before).nnz == 0  # earlier rows unchanged
        assert ranker.refresh(demo_store) == 0
        seen = {ranker.next_record_id()}
        assert None not in seen
    finally:
        ranker.close()


def test_ranker_spec_and_fit_are_stored_with_each_decision(demo_store: Store) -> None:
    from review import settings

    settings.save(demo_store, settings.RankerSpec(preset="svm", seed=7), actor="lead")
    ranker = service.open_ranker(demo_store, reviewer="ana", background=False)
    try:
        assert ranker.spec.preset == "svm" and ranker.spec.seed == 7
        assert ranker.ranker.seed == 7
        rec = service.next_record(demo_store, reviewer="ana", ranker=ranker)
        assert rec is not None
        d = review_service.record_decision(
            demo_store, rec["id"], "include", reviewer="ana", model_version=ranker.model_version
        )
        assert d.model_version == f"svm:7@{ranker.ranker.version}"
    finally:
        ranker.close()
    # another preset asked for by name is what gets stored (and audit-logged)
    other = service.open_ranker(demo_store, reviewer="ana", model="lr", background=False)
    other.close()
    assert settings.load(demo_store, settings.RankerSpec).preset == "lr"
