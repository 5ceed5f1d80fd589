"""Simulated screening on a labelled data set: no database, only rows and labels.

The loop: priors (random, seeded, drawn as ASReview LAB draws them) first; then repeatedly fit
the ranker on the screened records (see `Balancer`), rank the unscreened ones, and screen the
next records of that ranking until the schedule says retrain (`Schedule`: after every label
for the first 100 records and after every include, then every 1% of N). Everything random
comes from the seed, so a seed fixes the order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from screening.errors import ScreeningError
from screening.features import record_text
from screening.metrics import Metrics, score_order
from screening.models import relevance_scores
from screening.presets import Preset
from screening.stopping import StoppingRule, StopResult, evaluate_stopping
from screening.stopping_switch import switch_stop

log = logging.getLogger(__name__)


@dataclass
class SimulationResult:
    """The screening order (data rows, priors first), its labels, metrics and stopping."""

    order: list[int]
    labels_in_order: list[int]
    metrics: Metrics
    stopping: StopResult | None
    preset: str
    seed: int
    n_retrains: int
    seconds: float
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "seed": self.seed,
            "model_version": f"{self.preset}:{self.seed}",  # as RankerSpec.tag() in a review
            "metrics": self.metrics.to_dict(),
            "last_include_at": round(self.metrics.last * self.metrics.n),  # records screened
            "stopping": None if self.stopping is None else self.stopping.to_dict(),
            "n_retrains": self.n_retrains,
            "seconds": round(self.seconds, 3),
        }


def pick_priors(labels: np.ndarray, n_included: int, n_excluded: int, seed: int) -> list[int]:
    """Random prior records: `n_included` includes then `n_excluded` excludes, drawn as ASReview
    LAB's `simulate --prior-seed SEED` draws them (a fresh `RandomState(seed)` per class over
    the data's row numbers), so a simulation here and ASReview's with the same seed start from
    the same records and compare seed for seed."""
    inc = np.flatnonzero(labels == 1)
    exc = np.flatnonzero(labels == 0)
    if n_included > len(inc) or n_excluded > len(exc):
        raise ScreeningError(
            f"asked for {n_included} included and {n_excluded} excluded priors, but the data has "
            f"{len(inc)} included and {len(exc)} excluded records",
            hint="lower --prior-included / --prior-excluded",
        )
    picked: list[int] = []
    for rows, n in ((inc, n_included), (exc, n_excluded)):
        if n:  # a fresh generator per class, as ASReview draws them
            picked += [int(i) for i in np.random.RandomState(seed).choice(rows, n, replace=False)]
    return picked


def featurize(preset: Preset, titles: Sequence[str], abstracts: Sequence[str]) -> sp.csr_matrix:
    """The preset's feature matrix of a data set."""
    texts = [record_text(t, a, preset.title_weight) for t, a in zip(titles, abstracts, strict=True)]
    return preset.make_features().fit_transform(texts)


def screening_order(
    X: sp.csr_matrix,
    labels: np.ndarray,
    preset: Preset,
    priors: Sequence[int],
    rng: np.random.Generator,
    limit: int | None = None,
) -> tuple[list[int], int]:
    """Screen every record (or the first `limit`): the order (priors first) and how many times
    the model was fitted.

    Until both an include and an exclude are known, records are drawn at random."""
    n = X.shape[0]
    # the classifiers fit in float64: convert once, not on every retrain (a third of the time)
    # (a copy of the arrays: scipy's astype would sort the caller's matrix in place)
    X = sp.csr_matrix((X.data.astype(np.float64), X.indices.copy(), X.indptr.copy()), shape=X.shape)
    X.sort_indices()
    labels = np.asarray(labels, dtype=np.int64)
    order = list(priors)
    screened = np.zeros(n, dtype=bool)
    screened[order] = True
    base = preset.make_classifier()
    selector = preset.make_selector()  # view selection: the weights follow the evidence
    retrains = 0
    end = n if limit is None else min(n, max(limit, len(order)))
    while len(order) < end:
        pool = np.flatnonzero(~screened)
        lab = np.asarray(order)
        y = labels[lab]
        step = preset.schedule.step(len(order), n)
        if 0 < y.sum() < len(y):
            rows, yy, w = preset.balancer.training_set(lab, y, pool, rng)
            model = clone(base)
            if selector is not None:
                model.set_params(weights=selector.weights(X, lab, y))
            model = model.fit(X[rows], yy, sample_weight=w)
            retrains += 1
            scores = relevance_scores(model, X[pool])
            batch = preset.query.order(pool, scores, step, rng)
        else:
            batch = rng.permutation(pool)[:step]
        for r in batch[: end - len(order)]:
            order.append(int(r))
            screened[r] = True
            if preset.schedule.after_include and labels[r] == 1:
                break
    return order, retrains


def simulate(
    X: sp.csr_matrix,
    labels: Sequence[int] | np.ndarray,
    preset: Preset,
    *,
    seed: int = 0,
    prior_included: int = 1,
    prior_excluded: int = 1,
    stop: StoppingRule | None = None,
) -> SimulationResult:
    """Screen a labelled feature matrix to the end; score the order and the stopping rule."""
    t0 = time.perf_counter()
    y = np.asarray(labels, dtype=np.int64)
    priors = pick_priors(y, prior_included, prior_excluded, seed)
    order, retrains = screening_order(X, y, preset, priors, np.random.default_rng(seed))
    in_order = [int(y[i]) for i in order]
    stopping = None
    if stop is not None and stop.name == "switch":
        at, found = switch_stop(
            X, y, order, np.random.default_rng([seed, 1]), stop.target, stop.decay_level,
            stop.check_beta,
        )  # fmt: skip
        k = int(y.sum())
        stopping = StopResult("switch", at < len(y), at, len(y), found / k if k else 1.0)
    elif stop is not None:
        stopping = evaluate_stopping(stop, in_order, np.random.default_rng([seed, 1]))
    return SimulationResult(
        order=order,
        labels_in_order=in_order,
        metrics=score_order(in_order),
        stopping=stopping,
        preset=preset.name,
        seed=seed,
        n_retrains=retrains,
        seconds=time.perf_counter() - t0,
        params=preset.to_dict(),
    )
