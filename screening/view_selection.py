"""Prequential view selection: let this review's own held-out evidence decide which view ranks.

A `ViewFusion` preset with `method = "select"` fuses the ranks of its members (each sees one
view of the features, e.g. word n-grams and character n-grams) until the evidence of THIS
review is clear, then ranks with the better view alone; with an `incumbent` member, that view
ranks alone until another one leads it clearly. `ViewEvidence` holds the evidence.

The evidence is a pure function of the features and the labelled records in the order they
were labelled: at checkpoints c = 2, 4, 8, ... labelled records (once the first c hold both
classes), each view is fitted on the first c (weighted as the screening loop weighs a fit) and
ranks every record not among them, as it would have ranked the candidates then. Each include
labelled after c and before the next checkpoint (or the end) is judged by that ranking: its
percentile among those candidates (1 = top), per view. The views are compared paired over
these includes: the view with the highest mean percentile is used alone once, against every
other view, the mean difference less `margin` standard errors is above `min_lead`, with at
least `min_includes` includes judged; otherwise the incumbent ranks, or without one the ranks
are fused. A checkpoint's rankings depend
only on the first c labelled records, so they are computed once and kept while those records
stay labelled; a simulation and a live review (re-opened or not) that have labelled the same
records in the same order therefore choose the same view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.stats import rankdata
from sklearn.base import clone

from screening.balance import Balancer
from screening.fusion import Span, view_of
from screening.models import relevance_scores


def checkpoints(y: np.ndarray) -> list[tuple[int, int]]:
    """(c, end) blocks of the labelled order: rank with the first c, judge the includes among
    rows c..end-1; c runs over 2, 4, 8, ... once the first c rows hold both classes."""
    m = len(y)
    blocks: list[tuple[int, int]] = []
    c = 2
    while c < m:
        if 0 < y[:c].sum() < c:
            blocks.append((c, min(2 * c, m)))
        c *= 2
    return blocks


def percentiles(scores: np.ndarray) -> np.ndarray:
    """Each score's percentile among `scores` (1 = the highest, 0 = the lowest; ties share)."""
    if len(scores) < 2:
        return np.ones(len(scores))
    return (rankdata(scores, method="average") - 1) / (len(scores) - 1)


def choose_view(
    evidence: np.ndarray,
    margin: float,
    min_includes: int,
    incumbent: int | None = None,
    min_lead: float = 0.0,
) -> int | None:
    """The view (column of `evidence`; rows are includes, values their percentiles per view)
    whose mean lead over every other view, less `margin` standard errors of the paired mean
    difference, is above `min_lead`; else the `incumbent` view (None: fuse). Fewer than
    `min_includes` rows: the incumbent."""
    n = evidence.shape[0]
    if n < max(min_includes, 2) or evidence.shape[1] < 2:
        return incumbent
    best = int(np.argmax(evidence.mean(axis=0)))
    for v in range(evidence.shape[1]):
        if v == best:
            continue
        d = evidence[:, best] - evidence[:, v]
        if d.mean() - margin * d.std(ddof=1) / np.sqrt(n) <= min_lead:
            return incumbent
    return best


class ViewEvidence:
    """The prequential evidence of one review for the members (`estimators`, one column
    `spans` each) of a fusion; `balancer` weighs the checkpoint fits (without presumed
    excludes or a heavy phase, which depend on the unlabelled pool). `incumbent`: the member
    that ranks alone until another leads it by more than `min_lead` (a share of the
    candidates per include) beyond `margin` standard errors; None: fuse until then."""

    def __init__(
        self,
        estimators: Sequence[tuple[str, Any]],
        spans: Sequence[Span],
        balancer: Balancer | None = None,
        margin: float = 2.0,
        min_includes: int = 5,
        incumbent: int | None = None,
        min_lead: float = 0.0,
    ) -> None:
        self.estimators = list(estimators)
        self.spans = list(spans)
        self.balancer = balancer or Balancer()
        self.margin = margin
        self.min_includes = min_includes
        self.incumbent = incumbent
        self.min_lead = min_lead
        # checkpoint c -> (its first c rows, their labels, n rows of X, percentiles per view)
        self._cache: dict[int, tuple[np.ndarray, np.ndarray, int, np.ndarray]] = {}

    def ranked(self, X: Any, rows: np.ndarray, y: np.ndarray, c: int) -> np.ndarray:
        """Percentile (views × rows of X) of every record not among the first c labelled, by
        each view fitted on those c; NaN for the c. Kept while those c stay the same."""
        head, yc = rows[:c], y[:c]
        hit = self._cache.get(c)
        if (
            hit is not None
            and hit[2] == X.shape[0]
            and np.array_equal(hit[0], head)
            and np.array_equal(hit[1], yc)
        ):
            return hit[3]
        fit_rows, fit_y, w = self.balancer.training_set(
            head, yc, np.empty(0, dtype=np.int64), np.random.default_rng(0)
        )
        candidates = np.ones(X.shape[0], dtype=bool)
        candidates[head] = False
        out = np.full((len(self.estimators), X.shape[0]), np.nan)
        for i, ((_, est), span) in enumerate(zip(self.estimators, self.spans, strict=True)):
            Xv = view_of(X, span)
            model = clone(est).fit(Xv[fit_rows], fit_y, sample_weight=w)
            out[i, candidates] = percentiles(relevance_scores(model, Xv[candidates]))
        self._cache[c] = (head.copy(), yc.copy(), X.shape[0], out)
        return out

    def evidence(self, X: Any, rows: Any, y: Any) -> np.ndarray:
        """Includes judged (rows) × views: each include's percentile by each view's ranking
        at the last checkpoint before it was labelled. `rows`/`y`: in labelling order."""
        rows_a, y_a = np.asarray(rows, dtype=np.int64), np.asarray(y, dtype=np.int64)
        blocks = checkpoints(y_a)
        for c in [c for c in self._cache if c not in {b[0] for b in blocks}]:
            del self._cache[c]  # a checkpoint that no longer exists (labels were cleared)
        judged = [np.empty((0, len(self.estimators)))]
        for c, end in blocks:
            inc = rows_a[c:end][y_a[c:end] == 1]
            if len(inc):
                judged.append(self.ranked(X, rows_a, y_a, c)[:, inc].T)
        return np.vstack(judged)

    def weights(self, X: Any, rows: Any, y: Any) -> list[float] | None:
        """The fusion weights for the next fit: the chosen view alone, or None (equal)."""
        best = choose_view(
            self.evidence(X, rows, y), self.margin, self.min_includes, self.incumbent, self.min_lead
        )
        if best is None:
            return None
        return [1.0 if i == best else 0.0 for i in range(len(self.estimators))]
