"""Simulation metrics, defined exactly as in ../shared/tools/screen_metrics.py.

All take `labels_in_order`: the true labels (1 include) in screening order, priors first.
- WSS@95 = (N - records screened when recall first reaches 95%) / N - 0.05
- recall@10% = share of includes found in the first ceil(10% of N) records
- ATD = mean over includes of (1-based position screened) / N
- last = (1-based position of the last include) / N
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Metrics:
    n: int
    k: int
    wss95: float
    recall10: float
    atd: float
    last: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def include_positions(labels_in_order: Sequence[int]) -> list[int]:
    """1-based positions of the includes."""
    return [i for i, y in enumerate(labels_in_order, 1) if y]


def screened_at_recall(labels_in_order: Sequence[int], recall: float) -> int:
    """Records screened when recall first reaches `recall` (ceil(recall × includes) found)."""
    pos = include_positions(labels_in_order)
    return pos[max(math.ceil(recall * len(pos)), 1) - 1]


def wss(labels_in_order: Sequence[int], recall: float = 0.95) -> float:
    n = len(labels_in_order)
    return (n - screened_at_recall(labels_in_order, recall)) / n - (1 - recall)


def recall_at(labels_in_order: Sequence[int], fraction: float = 0.1) -> float:
    k = sum(1 for y in labels_in_order if y)
    return sum(1 for y in labels_in_order[: math.ceil(fraction * len(labels_in_order))] if y) / k


def atd(labels_in_order: Sequence[int]) -> float:
    pos = include_positions(labels_in_order)
    return sum(pos) / len(pos) / len(labels_in_order)


def score_order(labels_in_order: Sequence[int]) -> Metrics:
    """All metrics of one screening order (needs at least one include)."""
    labels = [int(y) for y in labels_in_order]
    pos = include_positions(labels)
    if not pos:
        raise ValueError("no included records: the metrics are undefined")
    n = len(labels)
    return Metrics(n, len(pos), wss(labels), recall_at(labels), atd(labels), pos[-1] / n)
