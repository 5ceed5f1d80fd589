"""Features prepared at import and stored as a snapshot: opening a review loads them, and the
ranking is the one an open that fits the features itself gives (same matrix, same cold
start, same order after decisions); a snapshot that no longer fits the records or the
protocol is not used for what changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from corpora.service import DemoReview, create_demo_review
from review import service as review_service
from review import settings
from screening import service as screening_service
from screening.features import TextFeatures
from screening.prepare import prepare_features
from screening.presets import get_preset
from screening.service import ReviewRanker, open_ranker
from screening.snapshot import FeatureSnapshot, record_texts


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoReview]:
    d = create_demo_review(tmp_path / "demo")
    yield d
    d.store.dispose()


def uncached(demo: DemoReview, monkeypatch: pytest.MonkeyPatch) -> ReviewRanker:
    """A ranker opened the way it was before snapshots: features fitted on opening."""
    with monkeypatch.context() as m:
        m.setattr(screening_service, "load_snapshot", lambda *a, **k: None)
        m.setattr(screening_service, "_keep_snapshot", lambda *a, **k: None)
        return open_ranker(demo.store, reviewer="ana", background=False)


def loaded(demo: DemoReview, monkeypatch: pytest.MonkeyPatch) -> ReviewRanker:
    """A ranker opened from the snapshot (fitting features would fail the test)."""

    def no_fit(self: TextFeatures, X: object, y: object = None, **kw: object) -> None:
        raise AssertionError("features were fitted on opening")

    with monkeypatch.context() as m:
        m.setattr(TextFeatures, "fit_transform", no_fit)
        return open_ranker(demo.store, reviewer="ana", background=False)


def same(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    return a.shape == b.shape and (a != b).nnz == 0


def decide_some(rr: ReviewRanker) -> list[int]:
    order = []
    for label in ("include", "exclude", "exclude", "include", "exclude"):
        rid = rr.next_record_id()
        assert rid is not None
        order.append(rid)
        rr.decide(rid, label)
    return order


def test_a_loaded_snapshot_ranks_exactly_as_fitting_on_open(
    demo: DemoReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = uncached(demo, monkeypatch)
    assert prepare_features(demo.store) == len(ref.record_ids)
    got = loaded(demo, monkeypatch)
    assert got.record_ids == ref.record_ids
    assert same(got.ranker.X, ref.ranker.X)
    assert got.ranker.ranking.tolist() == ref.ranker.ranking.tolist()  # BM25 cold start
    assert decide_some(got) == decide_some(ref)  # the model's order after each decision
    assert got.ranker.ranking.tolist() == ref.ranker.ranking.tolist()
    ref.close()
    got.close()


def test_opening_without_a_prepared_snapshot_keeps_one_for_the_next_open(
    demo: DemoReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = open_ranker(demo.store, reviewer="ana", background=False)
    again = loaded(demo, monkeypatch)
    assert same(first.ranker.X, again.ranker.X)
    first.close()
    again.close()


def test_a_changed_protocol_recomputes_only_the_cold_start(
    demo: DemoReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_features(demo.store)
    settings.set_protocol_value(demo.store, "keywords.include", "vaccine; trial", actor="lead")
    ref = uncached(demo, monkeypatch)
    got = loaded(demo, monkeypatch)
    assert got.ranker.ranking.tolist() == ref.ranker.ranking.tolist()
    ref.close()
    got.close()


def test_records_imported_after_the_snapshot_are_ranked_as_without_it(
    demo: DemoReview, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prepare_features(demo.store)
    opened = loaded(demo, monkeypatch)  # then a second import arrives during the session
    more = tmp_path / "more.ris"
    more.write_text(
        "TY  - JOUR\nTI  - Outcomes-based contracts for vaccine trials\nAB  - A new record.\n"
        "ER  - \n\nTY  - JOUR\nTI  - Les contrats à impact social\nER  - \n\n"
    )
    review_service.import_files(demo.store, [more])
    ref = uncached(demo, monkeypatch)  # a new session fits on every record
    assert opened.refresh(demo.store) == 2  # the vocabulary is fitted again from the texts
    fitted = open_ranker(demo.store, reviewer="ana", background=False)
    assert same(fitted.ranker.X, ref.ranker.X)  # the stale snapshot was not used
    # the refreshed session: earlier rows unchanged, new rows in its first vocabulary
    assert same(opened.ranker.X, refreshed_matrix(demo, before=len(opened.record_ids) - 2))
    for r in (opened, ref, fitted):
        r.close()


def refreshed_matrix(demo: DemoReview, before: int) -> sp.csr_matrix:
    """The matrix of a session that fitted on the first `before` records, then refreshed."""
    preset = get_preset(settings.load(demo.store, settings.RankerSpec).preset)
    _, texts = record_texts(demo.store, preset)
    feats = preset.make_features()
    return sp.vstack([feats.fit_transform(texts[:before]), feats.transform(texts[before:])])


def test_a_snapshot_round_trips_through_bytes() -> None:
    m = sp.random(7, 11, density=0.3, format="csr", dtype=np.float32, random_state=0)
    snap = FeatureSnapshot(np.arange(3, 10), m, np.array([2, 0, 1]), "q")
    back = FeatureSnapshot.from_bytes(snap.to_bytes())
    assert back is not None and same(back.matrix, m) and back.matrix.dtype == np.float32
    assert back.ids.tolist() == list(range(3, 10)) and back.cold_start is not None
    assert back.cold_start.tolist() == [2, 0, 1] and back.query_digest == "q"
