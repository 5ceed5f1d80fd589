"""Rankers: scikit-learn classifiers that score records (higher = more likely included).

Built-ins are plain scikit-learn estimators (logistic regression, linear SVM, complement naive
Bayes) and `RankEnsemble`, which averages its members' scores, each scaled by its spread on the
training data (so the ensemble is subset-invariant and usable in a Pipeline or `clone`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from screening.errors import ScreeningError


def relevance_scores(model: Any, X: Any) -> np.ndarray:
    """A model's score for the positive class (the last of `classes_`): decision_function
    when it has one, else the log-odds of predict_proba."""
    if hasattr(model, "decision_function"):
        s = np.asarray(model.decision_function(X), dtype=np.float64)
        return s if s.ndim == 1 else s[:, -1]
    p = np.clip(model.predict_proba(X)[:, -1], 1e-12, 1 - 1e-12)
    return np.log(p) - np.log1p(-p)


class NBScores(ClassifierMixin, BaseEstimator):
    """Complement naive Bayes with a `decision_function` (the log-odds of the last class)."""

    def __init__(self, alpha: float = 0.1, norm: bool = False) -> None:
        self.alpha = alpha
        self.norm = norm

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> NBScores:
        X, y = validate_data(self, X, y, accept_sparse="csr", reset=True)
        check_classification_targets(y)
        self.nb_ = ComplementNB(alpha=self.alpha, norm=self.norm).fit(X, y, sample_weight)
        self.classes_ = self.nb_.classes_
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        jll = self.nb_.predict_joint_log_proba(X)
        if len(self.classes_) == 2:
            return jll[:, 1] - jll[:, 0]
        return jll

    def predict_proba(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return self.nb_.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        return self.nb_.predict(X)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.positive_only = True
        tags.classifier_tags.poor_score = True  # naive Bayes on the checks' toy data
        return tags


class NearestIncludes(ClassifierMixin, BaseEstimator):
    """Similarity to the nearest known includes: the mean cosine similarity (rows are
    L2-normalised TF-IDF) to the `k` most similar includes, minus `exclude_weight` × the same
    for excludes. Finds includes that resemble one earlier include but not the average one."""

    def __init__(self, k: int = 1, exclude_weight: float = 0.0) -> None:
        self.k = k
        self.exclude_weight = exclude_weight

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> NearestIncludes:
        X, y = validate_data(self, X, y, accept_sparse="csr", reset=True)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError("Only binary classification is supported.")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)
            # presumed excludes (weight below 1) are not evidence for similarity
            keep = sample_weight >= 1
            X, y = X[keep], y[keep]
        self.pos_ = X[y == self.classes_[1]]
        self.neg_ = X[y == self.classes_[0]]
        return self

    def _top(self, X: Any, rows: Any) -> np.ndarray:
        if rows.shape[0] == 0:
            return np.zeros(X.shape[0])
        sim = X @ rows.T
        sim = sim.toarray() if hasattr(sim, "toarray") else np.asarray(sim)
        k = min(self.k, sim.shape[1])
        return np.sort(sim, axis=1)[:, -k:].mean(axis=1)

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        s = self._top(X, self.pos_)
        if self.exclude_weight:
            s = s - self.exclude_weight * self._top(X, self.neg_)
        return s

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class RankEnsemble(ClassifierMixin, BaseEstimator):
    """Binary ensemble: the weighted mean of members' scores, each divided by the standard
    deviation of its scores on the training data (fixed at fit time)."""

    def __init__(
        self, estimators: Sequence[tuple[str, Any]] = (), weights: Sequence[float] | None = None
    ) -> None:
        self.estimators = estimators
        self.weights = weights

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> RankEnsemble:
        X, y = validate_data(self, X, y, accept_sparse="csr", reset=True)
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type not in ("binary", "multiclass") or len(np.unique(y)) > 2:
            raise ValueError(
                f"Only binary classification is supported. The type of the target is {y_type}."
            )
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("RankEnsemble needs samples of two classes; the data has one class")
        if not self.estimators:
            raise ValueError("RankEnsemble needs at least one estimator")
        self.estimators_ = []
        self.scales_ = []
        for _, est in self.estimators:
            fitted = clone(est).fit(X, y, sample_weight=sample_weight)
            s = relevance_scores(fitted, X)
            self.estimators_.append(fitted)
            self.scales_.append(float(np.std(s)) or 1.0)
        w = np.ones(len(self.estimators_)) if self.weights is None else np.asarray(self.weights)
        self.weights_ = w / w.sum()
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False)
        total = np.zeros(X.shape[0])
        for est, scale, w in zip(self.estimators_, self.scales_, self.weights_, strict=True):
            total += w * relevance_scores(est, X) / scale
        return total

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = False
        return tags


def make_classifier(name: str, **params: Any) -> Any:
    """A fresh classifier by name: lr, svm, nb, or an ensemble such as `lr+nb` / `lr+svm+nb`."""
    if "+" in name:
        parts = name.split("+")
        return RankEnsemble([(p, make_classifier(p, **params.get(p, {}))) for p in parts])
    if name == "lr":
        return LogisticRegression(
            C=params.get("C", 10.0), solver="liblinear", dual=True, max_iter=1000, random_state=0
        )
    if name == "svm":
        # liblinear shuffles with numpy's global generator unless given a seed: fixed, so that
        # a seed fixes a simulation's order whatever ran before it in the process
        return LinearSVC(C=params.get("C", 0.11), max_iter=2000, random_state=0)
    if name == "nb":
        return NBScores(alpha=params.get("alpha", 0.1))
    if name == "knn":
        return NearestIncludes(k=params.get("k", 1), exclude_weight=params.get("exclude_weight", 0))
    raise ScreeningError(
        f"unknown classifier {name!r}", hint="use lr, svm, nb, knn or e.g. svm+knn"
    )
