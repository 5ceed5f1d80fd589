"""Tokens kept in the review's database: the same features, without tokenising again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corpora.service import create_demo_review
from review.text_cache import get_texts, put_texts
from screening.features import SpacyTokens, TextFeatures
from screening.service import ReviewTokenCache, open_ranker

TEXTS = ["Social impact bonds in the UK.", "Les contrats à impact social.", "", "Bonds bonds"]


class Counting(dict):  # type: ignore[type-arg]
    """An in-memory token cache that counts what was computed."""

    computed = 0

    def get(self, keys):  # type: ignore[no-untyped-def,override]
        return {k: self[k] for k in keys if k in self}

    def put(self, items):  # type: ignore[no-untyped-def]
        self.computed += len(items)
        self.update(items)


def test_cached_tokens_are_the_computed_ones() -> None:
    cache = Counting()
    plain = SpacyTokens("auto")(TEXTS)
    assert SpacyTokens("auto", cache=cache)(TEXTS) == plain
    assert cache.computed == len(TEXTS)
    assert SpacyTokens("auto", cache=cache)([*TEXTS, "new text"])[: len(TEXTS)] == plain
    assert cache.computed == len(TEXTS) + 1  # only the new text was tokenised
    # other settings are other entries
    SpacyTokens("auto", stop_words=True, cache=cache)(TEXTS[:1])
    assert cache.computed == len(TEXTS) + 2


def test_features_with_a_cache_equal_features_without() -> None:
    a = TextFeatures().fit_transform(TEXTS)
    b = TextFeatures(token_cache=Counting()).fit_transform(TEXTS)
    assert np.allclose(a.toarray(), b.toarray())


def test_text_cache_in_the_review_keeps_the_first_value(store) -> None:  # type: ignore[no-untyped-def]
    put_texts(store, {"k1": "a b", "k2": "c"})
    put_texts(store, {"k1": "changed", "k3": "d"})  # an existing key is left alone
    assert get_texts(store, ["k1", "k2", "k3", "nope"]) == {"k1": "a b", "k2": "c", "k3": "d"}


def test_reopening_a_review_reads_tokens_from_the_database(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    demo = create_demo_review(tmp_path)
    first = open_ranker(demo.store, reviewer="ana", background=False)
    n = len(first.record_ids)
    cached = ReviewTokenCache(demo.store).get(_all_keys(demo.store))
    # an entry per distinct text for the features and for the BM25 cold start (its settings
    # differ), and for the cold start's queries
    assert n < len(cached) <= 2 * n + 2
    computed: list[int] = []
    original = SpacyTokens._compute
    monkeypatch.setattr(
        SpacyTokens, "_compute", lambda self, t: computed.append(len(t)) or original(self, t)
    )
    again = open_ranker(demo.store, reviewer="ana", background=False)
    assert sum(computed) == 0
    assert again.record_ids == first.record_ids
    assert np.allclose(first.ranker.X.toarray(), again.ranker.X.toarray())
    first.close()
    again.close()


def _all_keys(store) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with store.begin() as conn:
        return [k for (k,) in conn.execute(text("SELECT key FROM text_cache"))]


def test_features_prepared_after_import_leave_nothing_to_tokenise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from screening.prepare import prepare_features

    demo = create_demo_review(tmp_path / "demo")
    try:
        seen: list[tuple[int, int]] = []
        n = prepare_features(demo.store, progress=lambda done, total: seen.append((done, total)))
        assert n > 0 and seen[-1] == (n, n)

        computed: list[str] = []
        real = SpacyTokens._compute

        def counting(self: SpacyTokens, texts: list[str]) -> list[str]:
            computed.extend(texts)
            return real(self, texts)

        monkeypatch.setattr(SpacyTokens, "_compute", counting)
        ranker = open_ranker(demo.store, background=False)
        assert ranker.cache.matrix is not None and ranker.cache.matrix.shape[0] == n
        assert len(computed) <= 2  # only the protocol's queries (include, exclude keywords)
        ranker.close()
    finally:
        demo.store.dispose()
