"""The rankers follow the scikit-learn estimator contract."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from screening.features import TextFeatures
from screening.models import NBScores, RankEnsemble, make_classifier
from screening.presets import PRESETS


def _ensemble() -> RankEnsemble:
    return RankEnsemble([("lr", LogisticRegression()), ("svm", LinearSVC())], weights=[2, 1])


def _expected_failures(estimator: object) -> dict[str, str]:
    if isinstance(estimator, RankEnsemble):
        why = "its LinearSVC member (liblinear) is not exactly weight/repeat equivalent"
        return {
            "check_sample_weight_equivalence_on_dense_data": why,
            "check_sample_weight_equivalence_on_sparse_data": why,
        }
    return {"check_decision_proba_consistency": "uses negative features; naive Bayes needs counts"}


@parametrize_with_checks([_ensemble(), NBScores()], expected_failed_checks=_expected_failures)
def test_sklearn_contract(estimator, check) -> None:  # type: ignore[no-untyped-def]
    check(estimator)


def test_presets_build_and_clone() -> None:
    for preset in PRESETS.values():
        clf = preset.make_classifier()
        assert clone(clf).get_params().keys() == clf.get_params().keys()
        assert preset.to_dict()["name"] == preset.name


def test_text_pipeline_ranks_the_include_first() -> None:
    texts = [
        "insulin therapy in type 2 diabetes randomised trial",
        "road maintenance contracts in rural areas",
        "insulin pump trial in adults with diabetes",
        "bridge inspection and road safety",
        "diabetes and insulin dosing in a randomised trial",
    ]
    y = np.array([1, 0, 1, 0, 0])
    pipe = Pipeline([("text", TextFeatures()), ("clf", make_classifier("lr+svm+nb"))])
    pipe.fit(texts[:4], y[:4])
    s = pipe.decision_function(["insulin in diabetes", "road contracts"])
    assert s[0] > s[1]


def test_text_features_extend_keeps_rows() -> None:
    tf = TextFeatures(char_ngrams=(3, 4), lsa_components=2)
    a = tf.fit_transform(["one text about trials", "another on roads", "third about trials"])
    b = tf.transform(["one text about trials"])
    assert np.allclose(a[0].toarray(), b.toarray(), atol=1e-5)


def test_balancer_weights_by_hand() -> None:
    from screening.balance import Balancer

    rows = np.arange(10)
    labels = np.array([1, 1] + [0] * 8)
    pool = np.arange(10, 20)
    rng = np.random.default_rng(0)
    _, _, w = Balancer().training_set(rows, labels, pool, rng)
    assert w.tolist() == [4.0, 4.0] + [1.0] * 8  # includes weigh n_exc / n_inc
    # heavy phase (10 of 20 screened < 60%): 9.8 x balanced, normalised to mean 1
    _, _, w = Balancer(heavy_until=0.6).training_set(rows, labels, pool, rng)
    assert w.mean() == pytest.approx(1.0) and w[0] / w[-1] == pytest.approx(9.8 * 4)
    r, y, w = Balancer(presumed=3, presumed_weight=0.1).training_set(rows, labels, pool, rng)
    assert len(r) == 13 and y[-3:].tolist() == [0, 0, 0] and set(r[-3:]) <= set(pool.tolist())
