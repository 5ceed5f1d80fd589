"""Rank fusion over views of the features (screening/fusion.py) and the views themselves."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.svm import LinearSVC

from screening.features import TextFeatures
from screening.fusion import ViewFusion, view_of

TEXTS = [
    "insulin therapy in type 2 diabetes randomised trial",
    "road maintenance contracts in rural areas",
    "insulin pump trial in adults with diabetes",
    "bridge inspection and road safety",
    "diabetes and insulin dosing in a randomised trial",
    "municipal asphalt contracts",
]
Y = np.array([1, 0, 1, 0, 1, 0])


def test_views_cover_the_blocks_of_hashed_chars_and_lsa() -> None:
    tf = TextFeatures(char_ngrams=(3, 4), char_hash=2**10, lsa_components=3)
    X = tf.fit_transform(TEXTS)
    words = tf.word_.transform(tf._tokens(TEXTS)).shape[1]
    assert X.shape[1] == words + 2**10 + 3  # fixed widths after the words
    widths = {v: view_of(X, tf.view_columns(v)).shape[1] for v in ("words", "chars", "lsa", "all")}
    assert widths == {"words": words, "chars": 2**10, "lsa": 3, "all": X.shape[1]}
    # each view's rows are unit length again (or empty)
    norms = sp.linalg.norm(view_of(X, tf.view_columns("chars")), axis=1)
    assert np.allclose(norms, 1.0)


def test_views_need_hashed_chars_and_existing_blocks() -> None:
    with pytest.raises(ValueError, match="char_hash"):
        TextFeatures(char_ngrams=(3, 5)).view_columns("chars")
    with pytest.raises(ValueError, match="no 'lsa' view"):
        TextFeatures().view_columns("lsa")


def test_column_view_matches_scipy_slicing() -> None:
    X = sp.random(20, 30, density=0.3, format="csr", random_state=1)
    for span in [(None, -10), (-10, None), (5, 12)]:
        fast = view_of(X, span).toarray()
        dense = X.toarray()[:, slice(*span)]
        n = np.linalg.norm(dense, axis=1, keepdims=True)
        assert np.allclose(fast, np.divide(dense, n, out=np.zeros_like(dense), where=n > 0))


@pytest.mark.parametrize("method", ["rrf", "mean"])
def test_fusion_ranks_the_includes_first_and_clones(method: str) -> None:
    tf = TextFeatures(char_ngrams=(3, 4), char_hash=2**12)
    X = tf.fit_transform(TEXTS)
    spans = [tf.view_columns("words"), tf.view_columns("chars")]
    model = ViewFusion([("w", LinearSVC()), ("c", LinearSVC())], spans, method=method)
    fitted = clone(model).fit(X[:4], Y[:4])
    s = fitted.decision_function(X)
    assert s[4] > max(s[1], s[3], s[5])  # the unseen include above every exclude
    assert set(fitted.predict(X)) <= {0, 1}


def test_fusion_rejects_a_missing_span_and_one_class() -> None:
    X = sp.random(6, 8, density=0.5, format="csr", random_state=0)
    with pytest.raises(ValueError, match="span"):
        ViewFusion([("a", LinearSVC())], []).fit(X, Y)
    with pytest.raises(ValueError, match="binary"):
        ViewFusion([("a", LinearSVC())], [(None, None)]).fit(X, np.zeros(6))
