"""Metrics: hand-computed values, and agreement with ../shared/tools/screen_metrics.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from screening.metrics import score_order, screened_at_recall
from screening.service import write_order
from tests.conftest import shared_file, shared_tool


def test_hand_computed_order() -> None:
    # N = 10, includes at positions 1, 3 and 8
    m = score_order([1, 0, 1, 0, 0, 0, 0, 1, 0, 0])
    assert (m.n, m.k) == (10, 3)
    # ceil(0.95 * 3) = 3 includes are found at position 8
    assert m.wss95 == pytest.approx((10 - 8) / 10 - 0.05)
    assert m.recall10 == pytest.approx(1 / 3)  # first ceil(1.0) = 1 record
    assert m.atd == pytest.approx((1 + 3 + 8) / 3 / 10)
    assert m.last == pytest.approx(0.8)


def test_recall_threshold_uses_ceil() -> None:
    labels = [1] * 19 + [0] * 5 + [1] + [0] * 75  # 20 includes: 19 reach 95%
    assert screened_at_recall(labels, 0.95) == 19
    assert score_order(labels).wss95 == pytest.approx((100 - 19) / 100 - 0.05)


def test_no_include_is_an_error() -> None:
    with pytest.raises(ValueError, match="no included"):
        score_order([0, 0, 0])


def test_agrees_with_the_reference_scorer(tmp_path: Path) -> None:
    ref = shared_tool("tools/screen_metrics.py")
    dataset = shared_file("corpora/synergy/Donners_2021.csv")
    import csv

    with open(dataset, newline="") as f:
        labels = np.array([int(float(r["label_included"])) for r in csv.DictReader(f)])
    rng = np.random.default_rng(7)
    for _ in range(3):
        order = rng.permutation(len(labels)).tolist()
        out = tmp_path / "order.csv"
        write_order(out, order, labels)
        expected = ref.score(str(dataset), str(out))
        got = score_order(labels[order].tolist()).to_dict()
        for key in ("n", "k", "wss95", "recall10", "atd", "last"):
            assert got[key] == pytest.approx(expected[key], abs=1e-12), key
