"""Rank fusion of rankers that each see one view of the records (e.g. word n-grams and
character n-grams, or TF-IDF and its LSA dimensions).

Each member is fitted on its own columns of the feature matrix (rows L2-normalised again) and
scores the records; the members' scores are turned into ranks among the records scored, and
fused: reciprocal-rank fusion (`rrf`: the sum of 1 / (k + rank), Cormack et al. 2009) or the
mean rank (`mean`). Unlike averaging scaled scores (`RankEnsemble`), a member's outliers
cannot dominate, and a record near the top of either view comes early.

The fused score of a record depends on the other records scored with it (ranks are among
them): score every candidate in one call, as the simulation and the live ranker do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.preprocessing import normalize
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from screening.models import relevance_scores

Span = tuple[int | None, int | None]


def view_of(X: Any, span: Span) -> Any:
    """Columns `span` of X, rows L2-normalised (CSR: by masking the stored entries, which
    is much faster than scipy's column slicing on wide matrices)."""
    start, stop = span
    if start is None and stop is None:
        return X
    a, b, _ = slice(start, stop).indices(X.shape[1])
    if not sp.issparse(X):
        return normalize(np.asarray(X)[:, a:b])
    X = sp.csr_matrix(X)
    keep = (X.indices >= a) & (X.indices < b)
    indptr = np.concatenate([[0], np.cumsum(keep)])[X.indptr]
    part = sp.csr_matrix(
        (X.data[keep], X.indices[keep] - a, indptr), shape=(X.shape[0], b - a), copy=False
    )
    return normalize(part, copy=False)


class ViewFusion(ClassifierMixin, BaseEstimator):
    """Binary ranker: members (name, estimator) fitted on their column `spans` (start, stop;
    negative from the end, None open), their ranks fused by `method` (`rrf` with constant
    `k`, or `mean` rank), weighted by `weights`."""

    def __init__(
        self,
        estimators: Sequence[tuple[str, Any]] = (),
        spans: Sequence[Span] = (),
        method: str = "rrf",
        k: float = 60.0,
        weights: Sequence[float] | None = None,
    ) -> None:
        self.estimators = estimators
        self.spans = spans
        self.method = method
        self.k = k
        self.weights = weights

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> ViewFusion:
        if len(self.estimators) != len(self.spans) or not self.estimators:
            raise ValueError("ViewFusion needs one column span per estimator, and at least one")
        if self.method not in ("rrf", "mean"):
            raise ValueError(f"unknown fusion method {self.method!r}; use rrf or mean")
        y = np.asarray(y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError("ViewFusion ranks for a binary target (include / exclude)")
        self.n_features_in_ = X.shape[1]
        self.estimators_ = [
            clone(est).fit(view_of(X, span), y, sample_weight=sample_weight)
            for (_, est), span in zip(self.estimators, self.spans, strict=True)
        ]
        w = np.ones(len(self.estimators_)) if self.weights is None else np.asarray(self.weights)
        self.weights_ = w / w.sum()
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Fused score of each row of X, higher = rank earlier (ranks are among these rows)."""
        check_is_fitted(self)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, the model {self.n_features_in_}")
        total = np.zeros(X.shape[0])
        for est, span, w in zip(self.estimators_, self.spans, self.weights_, strict=True):
            rank = rankdata(-relevance_scores(est, view_of(X, span)), method="average")  # 1 = top
            total += w * (1.0 / (self.k + rank) if self.method == "rrf" else -rank)
        return total

    def predict(self, X: Any) -> np.ndarray:
        # no calibrated threshold: the better half of the fused ranking counts as positive
        s = self.decision_function(X)
        return self.classes_[(s >= np.median(s)).astype(int)]
