"""The live screening loop: serve the next record at once from the latest ranking while the
model retrains in the background after each decision.

`LiveRanker` holds the review's cached features and the decisions so far. `decide` records a
label and asks for a retrain; one background thread fits the model and publishes a new
ranking (retrains asked for while one runs are merged into the next). `next_row` never waits
for a fit: it walks the published ranking, skipping records already decided. Before the first
include *and* exclude, the ranking is the BM25 cold start (relevance to the protocol).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from screening.bm25 import cold_start_order
from screening.features import TokenCache
from screening.fusion import ViewFusion
from screening.models import relevance_scores
from screening.presets import Preset

log = logging.getLogger(__name__)


class LiveRanker:
    """Ranking state of one review stage; `rows` are 0-based positions in the feature matrix."""

    def __init__(
        self,
        X: sp.csr_matrix,
        preset: Preset,
        *,
        texts: Sequence[str] = (),
        protocol: dict[str, Any] | None = None,
        seed: int = 0,
        background: bool = True,
        token_cache: TokenCache | None = None,
        cold_start: np.ndarray | None = None,
    ) -> None:
        self.X = X
        self.preset = preset
        self.seed = seed
        self.background = background
        self.labels: dict[int, int] = {}
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._dirty = False
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self.version = 0  # number of model fits published
        self._selector: tuple[str, Any] = ("", None)  # (preset name, its ViewEvidence or None)
        if cold_start is None:  # (`cold_start`: an order computed before, e.g. at import)
            cold_start = (
                cold_start_order(texts, protocol, token_cache)
                if len(texts)
                else np.arange(X.shape[0])
            )
        self.ranking: np.ndarray = cold_start

    # -- serving --------------------------------------------------------------------------

    def next_row(self, skip: Sequence[int] = ()) -> int | None:
        """The best-ranked row not yet decided (nor in `skip`), from the latest ranking."""
        ranking, labels, skipped = self.ranking, self.labels, set(skip)
        for r in ranking:
            r = int(r)
            if r not in labels and r not in skipped:
                return r
        return None

    def decide(self, row: int, label: int | None) -> None:
        """Record (1 include, 0 exclude) or clear (None) a label, then retrain."""
        with self._lock:
            if label is None:
                self.labels.pop(row, None)
            else:
                self.labels[row] = int(label)
            self._dirty = True
            if self.background:
                self._ensure_thread()
                self._wake.notify()
        if not self.background:
            self.retrain()

    def use(self, preset: Preset) -> None:
        """Rank with another preset from the next fit on (the `switch` stopping rule's second
        model); the features stay."""
        with self._lock:
            self.preset = preset
            self._dirty = True
        if self.background:
            self._kick()
        else:
            self.retrain()

    def extend(self, X: sp.csr_matrix) -> None:
        """Use a feature matrix with rows appended (newly imported records); they are
        ranked after the current ranking until the next fit, then by the model."""
        with self._lock:
            old = self.X.shape[0]
            self.X = X
            self.ranking = np.concatenate([self.ranking, np.arange(old, X.shape[0])])
            self._dirty = True
        if self.background:
            self._kick()
        else:
            self.retrain()

    def _kick(self) -> None:
        with self._lock:
            self._ensure_thread()
            self._wake.notify()

    # -- training -------------------------------------------------------------------------

    def retrain(self) -> bool:
        """Fit on the current labels and publish a new ranking; False while one class is
        missing (the cold-start order stays)."""
        with self._lock:
            labels = dict(self.labels)
            X = self.X
            self._dirty = False
        rows = np.fromiter(labels, dtype=np.int64, count=len(labels))  # in labelling order
        y = np.fromiter(labels.values(), dtype=np.int64, count=len(labels))
        if not (0 < y.sum() < len(y)):
            return False
        model = clone(self.preset.make_classifier())
        selector = self._view_evidence()
        if selector is not None:  # view selection: the weights follow this review's evidence
            model.set_params(weights=selector.weights(X, rows, y))
        else:  # (a selecting preset fits in labelling order, as the simulation does)
            order = np.argsort(rows, kind="stable")
            rows, y = rows[order], y[order]
        unlabelled = np.ones(X.shape[0], dtype=bool)
        unlabelled[rows] = False
        pool = np.flatnonzero(unlabelled)
        rng = np.random.default_rng([self.seed, len(rows)])
        train, yy, w = self.preset.balancer.training_set(rows, y, pool, rng)
        model.fit(X[train], yy, sample_weight=w)
        if isinstance(model, ViewFusion):  # ranks among the rows scored: the candidates only
            scores = np.full(X.shape[0], -np.inf)  # (as in the simulation)
            scores[pool] = relevance_scores(model, X[pool])
        else:
            scores = relevance_scores(model, X)
        scores[rows] = -np.inf  # decided rows go last
        ranking = np.lexsort((np.arange(len(scores)), -scores))
        with self._lock:
            if self.X.shape[0] > len(ranking):  # records were added during the fit
                ranking = np.concatenate([ranking, np.arange(len(ranking), self.X.shape[0])])
            self.ranking = ranking
            self.version += 1
        return True

    def _view_evidence(self) -> Any:
        """The preset's `ViewEvidence` (kept across fits: its checkpoints are computed once),
        or None when the preset does not select views."""
        if self._selector[0] != self.preset.name:
            self._selector = (self.preset.name, self.preset.make_selector())
        return self._selector[1]

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._worker, name="litsift-ranker", daemon=True)
            self._thread.start()

    def _worker(self) -> None:
        while True:
            with self._lock:
                while not self._dirty and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                self._busy = True
            try:
                self.retrain()
            except (ValueError, np.linalg.LinAlgError):
                log.exception("retraining failed; keeping the previous ranking")
            finally:
                with self._lock:
                    self._busy = False

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until no retrain is pending (for tests and benchmarks)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if not self._dirty and not self._busy:
                    return
            time.sleep(0.005)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
