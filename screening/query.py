"""Query strategies: which unscreened records to show next, given the model's scores.

- `max` (default): the highest scores first (find includes as early as possible).
- `uncertainty`: the scores nearest the decision boundary (0) first (improves the model).
- `mixed`: `max`, but each pick is, with probability `exploration`, a random record.
Ties always break by position (lower row first), so a ranking is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from screening.errors import ScreeningError


@dataclass(frozen=True)
class Query:
    """A query strategy: `name` is max, uncertainty or mixed."""

    name: str = "max"
    exploration: float = 0.05

    def __post_init__(self) -> None:
        if self.name not in ("max", "uncertainty", "mixed"):
            raise ScreeningError(
                f"unknown query strategy {self.name!r}", hint="use max, uncertainty or mixed"
            )

    def order(
        self, pool: np.ndarray, scores: np.ndarray, n: int, rng: np.random.Generator
    ) -> np.ndarray:
        """The first `n` records of `pool` (row numbers) to screen; `scores` align with pool."""
        n = min(n, len(pool))
        if self.name == "uncertainty":
            idx = np.lexsort((pool, np.abs(scores)))
            return pool[idx[:n]]
        ranked = pool[np.lexsort((pool, -scores))]
        if self.name == "max" or n == 0:
            return ranked[:n]
        out: list[int] = []
        taken: set[int] = set()
        it = iter(ranked)
        for _ in range(n):
            if rng.random() < self.exploration:
                choices = [r for r in ranked if r not in taken]
                pick = int(rng.choice(choices))
            else:
                pick = next(r for r in it if r not in taken)
            out.append(pick)
            taken.add(pick)
        return np.asarray(out, dtype=pool.dtype)
