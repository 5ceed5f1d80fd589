"""The `switch` stopping rule: SAFE's third phase (Boetje & van de Schoot 2024) after `decay`.

`decay` (screening.stopping_decay) misses badly when the ranking leaves a second pocket of
includes late: its bound assumes the include rate keeps decaying along *this* ranking, and a
small random check rarely meets a pocket of 2–3% of the rest. SAFE's answer is to look at the
rest through a different model before the random check:

1. **Rank** with the review's ranker until the decay bound fires (phase 1).
2. **Switch**: fit a different model — character 3–5-grams of the raw text (not the ranker's
   word n-grams), logistic regression with balanced weights — on every label so far, and screen
   its top-ranked unscreened records, refitting after every include, until its own signal
   fires: the same decay bound applied to the records screened since the switch (the
   assumption, now about the second ranking: the rest holds no more includes than the records
   it served since the switch could, at the bound's level; at least `MIN_SWITCH` records).
3. **Random check**, as `decay`: m records at random from the unscreened, m the least with
   (1 − found/screened)^m ≤ 0.05. No include: stop. An include: back to step 2.

A pocket the first ranking pushed down is usually ranked differently by another view of the
text; a run of excludes at the top of a fresh ranking is stronger evidence than one at the
bottom of an old one. The guarantee stays conditional on the decay assumption, now required
of two rankings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from screening.balance import Balancer
from screening.models import NBScores
from screening.presets import Preset
from screening.stopping_decay import (
    CHECK_BETA,
    DECAY_LEVEL,
    DECAY_SHARE,
    MIN_WINDOW,
    _upper,
    check_size,
    checked_stop,
    decay_ok,
    missed_bound,
    more_until,
)

MIN_SWITCH = 50  # records screened from the second ranking before its signal may fire
SWITCH_CLASSIFIER = "nb"  # the second model live and in `litsift simulate`: naive Bayes on the
# review's own features (no second feature matrix at 100k records); the bench also tries
# character n-grams + logistic regression (bench/stopping_switch_bench.py)
SWITCH_SUFFIX = "+switch-nb"  # the live preset's name after the switch (in model_version)


def alt_features(texts: Sequence[str]) -> sp.csr_matrix:
    """The second view of the records: TF-IDF of character 3–5-grams of the lower-cased raw
    text (no tokenizer, so no model download and no spaCy time)."""
    vec = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        sublinear_tf=True,
        min_df=2 if len(texts) > 20 else 1,
        max_df=0.95 if len(texts) > 1 else 1.0,
        dtype=np.float64,
    )
    return vec.fit_transform([t.lower() for t in texts]).tocsr()


def alt_scores(
    X: sp.csr_matrix,
    rows: Sequence[int] | np.ndarray,
    y: Sequence[int] | np.ndarray,
    pool: Sequence[int] | np.ndarray,
    classifier: str = "lr",
) -> np.ndarray:
    """The second model's scores of the `pool` rows, fitted on `rows` labelled `y` (balanced
    class weights; both classes must be present). `classifier`: lr (logistic regression) or
    nb (naive Bayes, screening.models.NBScores)."""
    yy = np.asarray(y)
    if classifier == "nb":
        n_inc = max(int(yy.sum()), 1)
        w = np.where(yy == 1, (len(yy) - n_inc) / n_inc, 1.0)
        model: Any = NBScores().fit(X[np.asarray(rows)], yy, sample_weight=w)
    else:
        model = LogisticRegression(
            C=10.0, solver="liblinear", dual=True, max_iter=1000, class_weight="balanced"
        ).fit(X[np.asarray(rows)], yy)
    return np.asarray(model.decision_function(X[np.asarray(pool)]))


def alt_sequence(
    X: sp.csr_matrix,
    labels: np.ndarray,
    screened: Sequence[int],
    max_run: int,
    step: int,
    classifier: str = "lr",
) -> list[int]:
    """Simulate phase 2 on labelled data: after `screened`, serve the second model's top
    records, refitting after every include and every `step` records (`step` ≥ N: one fit,
    never refitted), until `max_run` excludes in a row; the rest follows in the last ranking's
    order. Returns every unscreened row."""
    labels = np.asarray(labels, dtype=np.int64)
    done = np.zeros(len(labels), dtype=bool)
    done[list(screened)] = True
    order = list(screened)
    out: list[int] = []
    run = 0
    while not done.all():
        pool = np.flatnonzero(~done)
        lab = np.asarray(order)
        y = labels[lab]
        if 0 < y.sum() < len(y):
            sc = alt_scores(X, lab, y, pool, classifier)
            ranked = pool[np.argsort(-sc, kind="stable")]
        else:
            ranked = pool
        if run >= max_run or step >= len(labels):
            return out + [int(r) for r in ranked]
        for r in ranked[:step]:
            out.append(int(r))
            order.append(int(r))
            done[r] = True
            run = 0 if labels[r] == 1 else run + 1
            if labels[r] == 1 or run >= max_run:
                break
    return out


def switch_ok(
    y_order: Sequence[int] | np.ndarray,
    start: int,
    level: float = DECAY_LEVEL,
    min_switch: int = MIN_SWITCH,
    target: float = 0.95,
) -> np.ndarray:
    """For s = 1..N screened (the first `start` by the ranker, the rest by the second model):
    does the bound on the second ranking say recall ≥ `target`? Window: every record served
    since the switch (≥ `min_switch`); missed ≤ its upper `level` rate × min(rest, window)."""
    y = np.asarray(y_order, dtype=np.int64)
    n = len(y)
    s = np.arange(1, n + 1)
    found, missed = _second_bound(y, start, n, level)
    w = np.maximum(s - start, 0)
    fires = (found > 0) & (found >= target * (found + missed))
    return (s > start) & (w >= min(min_switch, n - start)) & fires


def run_ok(y_order: Sequence[int] | np.ndarray, start: int, run: int) -> np.ndarray:
    """For s = 1..N: at least `run` excludes in a row since the switch at `start` (SAFE's
    fixed signal, 50 in the paper)."""
    y = np.asarray(y_order, dtype=np.int64)
    s = np.arange(1, len(y) + 1)
    last = np.maximum.accumulate(np.where(y == 1, s, start))
    return (s > start) & (s - np.maximum(last, start) >= min(run, len(y) - start))


def switch_stop(
    X: sp.csr_matrix,
    labels: np.ndarray,
    order: Sequence[int],
    rng: np.random.Generator,
    target: float = 0.95,
    level: float = DECAY_LEVEL,
    beta: float = CHECK_BETA,
    classifier: str = SWITCH_CLASSIFIER,
) -> tuple[int, int]:
    """The `switch` rule on a finished simulation (`order`: data rows in screening order):
    (records screened, includes found) at its stop. Phase 2 is simulated with the second
    model on `X`; its records replace the rest of `order`."""
    labels = np.asarray(labels, dtype=np.int64)
    y0 = labels[np.asarray(order)]
    n = len(y0)
    hit = np.flatnonzero(decay_ok(y0, target, level=level))
    if len(hit) == 0 or int(hit[0]) + 1 >= n:
        return n, int(y0.sum())  # the bound never fires before the end: screen everything
    s1 = int(hit[0]) + 1
    seq = alt_sequence(
        X, labels, list(order[:s1]), max(100, math.ceil(0.2 * n)), max(1, round(0.01 * n)),
        classifier,
    )  # fmt: skip
    y = np.concatenate([y0[:s1], labels[np.asarray(seq, dtype=np.int64)]])
    ok = switch_ok(y, s1, level, target=target)
    return checked_stop(y.tolist(), ok, rng, lambda f, s, u: check_size(f, s, u, beta))


# --- live: where a reviewer stands (screening.recall_switch) ------------------------------


def switch_start(ranked: Sequence[int], total: int, target: float = 0.95) -> int | None:
    """Decisions made by ranking when the decay bound first held — the switch to the second
    model (None: not yet)."""
    y = np.asarray(ranked, dtype=np.int64)
    if len(y) == 0 or y.sum() == 0:
        return None
    found, missed = missed_bound(y, total, DECAY_SHARE, DECAY_LEVEL, MIN_WINDOW)
    s = np.arange(1, len(y) + 1)
    hit = np.flatnonzero(
        (s >= min(MIN_WINDOW, total)) & (found > 0) & (found >= target * (found + missed))
    )
    return int(hit[0]) + 1 if len(hit) else None


def _second_bound(
    ranked: np.ndarray, start: int, total: int, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """found, missed bound for s = 1..len(ranked) under the second ranking's bound."""
    c = np.concatenate([[0], np.cumsum(ranked)])
    s = np.arange(1, len(ranked) + 1)
    w = np.maximum(s - start, 0)
    k = c[s] - c[np.minimum(s, start)]
    up = np.where(w > 0, _upper(k, np.maximum(w, 1), level), 1.0)
    return c[1:], up * np.minimum(total - s, w)


def switch_recall_low(
    ranked: Sequence[int], start: int, total: int, level: float = DECAY_LEVEL
) -> float | None:
    """The second ranking's bound of recall after the decisions so far (None: none found, or
    no record from the second ranking yet)."""
    y = np.asarray(ranked, dtype=np.int64)
    if len(y) <= start or y.sum() == 0:
        return None
    found, missed = _second_bound(y, start, total, level)
    return float(found[-1] / (found[-1] + missed[-1]))


def switch_more(
    ranked: Sequence[int], start: int, total: int, target: float = 0.95, level: float = DECAY_LEVEL
) -> int | None:
    """How many more records from the second ranking, all excludes, before its signal fires
    (0: it holds now; None: not before the end)."""
    return more_until(ranked, total, lambda ahead: switch_ok(ahead, start, level, target=target))


def second_preset(preset: Preset) -> Preset:
    """The live ranker's preset after the switch: the same features, naive Bayes with balanced
    class weights (as `alt_scores(..., "nb")`), the same schedule and query."""
    if preset.name.endswith(SWITCH_SUFFIX):
        return preset
    return replace(
        preset,
        name=preset.name + SWITCH_SUFFIX,
        description=preset.description + "; after the switch: naive Bayes, balanced weights",
        classifier=SWITCH_CLASSIFIER,
        classifier_params={},
        balancer=Balancer(include_weight=1.0),
    )
