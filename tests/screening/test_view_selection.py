"""Prequential view selection (screening/view_selection.py): the evidence, the choice, and the
same choice in a simulation, a live ranker and a re-opened one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.svm import LinearSVC

from review.db import Store
from screening.balance import Balancer
from screening.errors import ScreeningError
from screening.live import LiveRanker
from screening.presets import Preset, get_preset
from screening.simulate import pick_priors, screening_order
from screening.view_selection import ViewEvidence, checkpoints, choose_view, percentiles


def two_views(
    n: int = 240, signal: str = "first", seed: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows with two 20-column views; includes (1 in 8) share a feature in the `signal` view
    only (with some noise); the other view is noise alone. Rows are L2-normalised per view."""
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 8 == 0).astype(np.int64)
    good = rng.random((n, 20)) * (rng.random((n, 20)) < 0.3)
    good[:, 0] = np.where(y == 1, 1.0 + rng.random(n), 0.4 * (rng.random(n) < 0.1))
    noise = rng.random((n, 20)) * (rng.random((n, 20)) < 0.3) + 0.01
    views = [good, noise] if signal == "first" else [noise, good]
    return sp.csr_matrix(np.hstack(views)), y


def evidence_for(X: sp.csr_matrix) -> ViewEvidence:
    return ViewEvidence([("a", LinearSVC(random_state=0)), ("b", LinearSVC(random_state=0))],
                        [(0, 20), (20, 40)], Balancer(include_weight=1.0))  # fmt: skip


def test_checkpoints_double_and_wait_for_both_classes() -> None:
    y = np.array([1, 1, 1, 0] + [0] * 20)
    assert checkpoints(y) == [(4, 8), (8, 16), (16, 24)]  # c = 2 holds one class only
    assert checkpoints(np.array([1, 0, 0])) == [(2, 3)]
    assert checkpoints(np.array([1, 0])) == []  # nothing labelled after the first fit


def test_percentiles_run_from_bottom_to_top_with_shared_ties() -> None:
    assert percentiles(np.array([3.0, 1.0, 2.0])).tolist() == [1.0, 0.0, 0.5]
    assert percentiles(np.array([1.0, 1.0, 0.0])).tolist() == [0.75, 0.75, 0.0]


def test_choice_needs_a_clear_lead_over_enough_includes() -> None:
    rng = np.random.default_rng(0)
    better = np.column_stack([0.9 + 0.01 * rng.standard_normal(20), np.full(20, 0.7)])
    assert choose_view(better, 2.0, 5) == 0
    assert choose_view(better[:, ::-1], 2.0, 5) == 1
    assert choose_view(better[:4], 2.0, 5) is None  # too few includes
    # with an incumbent: it ranks until another view leads by more than `min_lead`
    assert choose_view(better[:4], 2.0, 5, incumbent=1) == 1
    assert choose_view(better, 2.0, 5, incumbent=1, min_lead=0.1) == 0  # leads by 0.2
    assert choose_view(better, 2.0, 5, incumbent=1, min_lead=0.3) == 1  # not by 0.3
    noisy = np.column_stack([rng.random(30), rng.random(30)])
    d = noisy[:, 0] - noisy[:, 1]
    assert abs(d.mean()) < 2 * d.std(ddof=1) / np.sqrt(30)  # (no lead beyond 2 SE here)
    assert choose_view(noisy, 2.0, 5) is None
    assert choose_view(noisy, 2.0, 5, incumbent=0) == 0


@pytest.mark.parametrize(("signal", "view"), [("first", 0), ("second", 1)])
def test_the_view_that_ranks_includes_higher_is_chosen(signal: str, view: int) -> None:
    X, y = two_views(signal=signal)
    order = np.random.default_rng(1).permutation(len(y))
    ev = evidence_for(X)
    judged = ev.evidence(X, order[:160], y[order[:160]])
    assert judged.shape[1] == 2 and len(judged) >= 5
    assert (judged[:, view].mean() - judged[:, 1 - view].mean()) > 0.1  # held-out, per include
    w = ev.weights(X, order[:160], y[order[:160]])
    assert w is not None and w[view] == 1.0 and sum(w) == 1.0


def test_evidence_is_held_out_and_rebuilt_the_same_from_the_order() -> None:
    X, y = two_views()
    order = np.random.default_rng(2).permutation(len(y))
    grown = evidence_for(X)
    for m in range(10, 200, 7):  # as a screening loop asks, label after label
        grown.weights(X, order[:m], y[order[:m]])
    fresh = evidence_for(X)  # a re-opened review: only the stored decisions, in order
    a = grown.evidence(X, order[:200], y[order[:200]])
    assert np.array_equal(a, fresh.evidence(X, order[:200], y[order[:200]]))
    # each include is judged by a ranking fitted before it was labelled: relabelling a
    # later record changes nothing judged at earlier checkpoints ...
    yy = y[order[:200]].copy()
    yy[150] = 1 - yy[150]
    b = grown.evidence(X, order[:200], yy)
    assert np.array_equal(a[: int(y[order[:128]][2:].sum())], b[: int(y[order[:128]][2:].sum())])
    # ... and a changed early label is not served from the cache
    yy = y[order[:200]].copy()
    yy[5] = 1 - yy[5]
    assert np.array_equal(
        grown.evidence(X, order[:200], yy), evidence_for(X).evidence(X, order[:200], yy)
    )


def test_presets_without_selection_have_no_selector() -> None:
    assert get_preset("elas-rrf-char").make_selector() is None
    assert get_preset("elas-u4").make_selector() is None
    sel = get_preset("elas-sel-char").make_selector()
    assert isinstance(sel, ViewEvidence) and len(sel.estimators) == 2
    presumed = replace(get_preset("elas-sel-char"), balancer=Balancer(presumed=10))
    with pytest.raises(ScreeningError, match="labelled records alone"):
        presumed.make_selector()


def selecting_preset() -> Preset:
    """elas-sel-char's rule on the two 20-column views of `two_views` (no text features)."""
    base = get_preset("elas-sel-char")
    params = {
        **base.classifier_params,
        "members": [["svm", {"C": 0.11}, "a"], ["svm", {"C": 0.11}, "b"]],
    }
    return replace(base, classifier_params=params)


def test_live_ranker_serves_what_the_simulation_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    from screening.features import TextFeatures

    spans = {"a": (0, 20), "b": (20, 40)}
    monkeypatch.setattr(TextFeatures, "view_columns", lambda self, v: spans[v])
    X, y = two_views(n=200, signal="second")
    preset = selecting_preset()
    rng = np.random.default_rng(3)
    order, _ = screening_order(X, y, preset, pick_priors(y, 1, 1, 3), rng, limit=90)
    live = LiveRanker(X.astype(np.float64), preset, background=False)
    live.labels[order[0]] = int(y[order[0]])
    chosen = []
    for m in range(2, 89):  # the simulation retrains after every label for its first 100
        live.labels[order[m - 1]] = int(y[order[m - 1]])
        if 0 < sum(live.labels.values()) < len(live.labels):
            live.retrain()
            assert live.next_row() == order[m]
            sel = live._view_evidence()
            chosen.append(sel.weights(X, list(live.labels), list(live.labels.values())))
    assert chosen[-1] == [0.0, 1.0]  # the informative view ranks alone by the end
    reopened = LiveRanker(X.astype(np.float64), preset, background=False)
    reopened.labels = dict(live.labels)  # rebuilt from the stored decisions, in their order
    reopened.retrain()
    assert np.array_equal(reopened.ranking, live.ranking)


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    from corpora.service import create_demo_review

    demo = create_demo_review(tmp_path / "demo")
    yield demo.store
    demo.store.dispose()


def test_a_reopened_review_ranks_as_the_live_one(demo_store: Store) -> None:
    from review import service as review_service
    from screening import service

    ranker = service.open_ranker(
        demo_store, reviewer="ana", model="elas-sel-char", background=False
    )
    try:
        for label in ("include", "exclude", "exclude", "include", "exclude"):
            rec = service.next_record(demo_store, reviewer="ana", ranker=ranker)
            assert rec is not None
            review_service.record_decision(demo_store, rec["id"], label, reviewer="ana")
            ranker.decide(rec["id"], label)
        live = ranker.ranker.ranking.copy()
    finally:
        ranker.close()
    again = service.open_ranker(demo_store, reviewer="ana", background=False)
    try:
        assert again.spec.preset == "elas-sel-char"
        assert np.array_equal(again.ranker.ranking, live)
    finally:
        again.close()
