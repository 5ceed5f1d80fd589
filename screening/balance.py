"""Building the training set from the labelled records (class balancing for 1–5% prevalence).

`Balancer` weights includes up (inclusions are rare) and may add *presumed excludes*: a random
sample of unscreened records labelled exclude with a small weight (the "presumed non-relevant"
trick of Cormack & Grossman's continuous active learning). With 1–5% prevalence nearly all of
them are truly excludes, and they stop the first models from ranking by noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Balancer:
    """`include_weight`: each include weighs this × (n_exclude / n_include), capped below by 1.
    `presumed`: up to this many unscreened records join as excludes with weight `presumed_weight`.
    `early_boost`: includes weigh (1 + early_boost / n_include) times more, so the first few
    includes pull hard and the boost fades as includes accumulate.
    `heavy_until`: while fewer than this share of all records are screened, includes weigh
    `heavy_weight` × balanced, normalised (ASReview's weighting: finds the first includes
    sooner); after it, the plain weighting above (finds the last includes sooner).
    `normalize`: scale the screened records' weights to a mean of 1 (as ASReview's `Balanced`
    does), so the classifier's regularisation means the same whatever the class ratio."""

    include_weight: float = 1.0
    presumed: int = 0
    presumed_weight: float = 0.1
    normalize: bool = False
    early_boost: float = 0.0
    heavy_until: float = 0.0
    heavy_weight: float = 9.8

    def training_set(
        self,
        labelled: np.ndarray,
        labels: np.ndarray,
        pool: np.ndarray,
        rng: np.random.Generator,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, labels (1 include, 0 exclude) and sample weights to fit on."""
        n_pos = int(labels.sum())
        n_neg = len(labels) - n_pos
        w = np.ones(len(labels))
        heavy = len(labels) < self.heavy_until * (len(labels) + len(pool))
        factor = self.heavy_weight if heavy else self.include_weight
        if n_pos:
            boost = 1.0 + self.early_boost / n_pos  # extra weight while includes are few
            w[labels == 1] = max(1.0, boost * factor * n_neg / n_pos)
        if self.normalize or heavy:
            w *= len(w) / w.sum()
        rows, y = labelled, labels
        if self.presumed and len(pool):
            take = min(self.presumed, len(pool))
            extra = pool if take == len(pool) else rng.choice(pool, size=take, replace=False)
            rows = np.concatenate([rows, np.sort(extra)])
            y = np.concatenate([y, np.zeros(take, dtype=labels.dtype)])
            w = np.concatenate([w, np.full(take, self.presumed_weight)])
        return rows, y, w
