"""The matching pipeline on plain record dicts: normalise → block → score → cluster.

No database here, so it can be benchmarked and property-tested; `review.dedup.service` runs
it on a Store. Records are addressed by their index in the list given.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from review.dedup.blocking import candidate_pairs
from review.dedup.clustering import cluster
from review.dedup.normalize import MatchRecord, prepare_all
from review.dedup.scoring import DEFAULT_WEIGHTS, PairScore, Weights, score_pair, score_pairs
from review.models import BIBLIO_FIELDS

log = logging.getLogger(__name__)

AUTO_THRESHOLD = 0.995
QUEUE_THRESHOLD = 0.7
COMPLETENESS_FIELDS = tuple(f for f in BIBLIO_FIELDS if f not in ("language", "type"))
FILLABLE_FIELDS = tuple(f for f in COMPLETENESS_FIELDS if f != "title")

Pair = tuple[int, int]


@dataclass
class Settings:
    """Thresholds and weights of a run, as plain data (stored with the run)."""

    auto_threshold: float = AUTO_THRESHOLD
    queue_threshold: float = QUEUE_THRESHOLD
    weights: Weights = field(default_factory=lambda: DEFAULT_WEIGHTS)
    window: int = 4
    max_block: int = 40
    workers: int = 2

    def get_params(self) -> dict[str, Any]:
        """The settings as a JSON-able dict."""
        return {
            "auto_threshold": self.auto_threshold,
            "queue_threshold": self.queue_threshold,
            "weights": self.weights.get_params(),
            "window": self.window,
            "max_block": self.max_block,
        }


@dataclass
class PairResult:
    """One scored pair (record indices i < j) and its verdict."""

    i: int
    j: int
    score: float
    decision: str
    reason: str


@dataclass
class DedupResult:
    """Clusters (record indices, canonical first) and every scored pair."""

    clusters: list[list[int]]
    pairs: list[PairResult]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def queued(self) -> list[PairResult]:
        return [p for p in self.pairs if p.decision == "queued"]

    @property
    def duplicates_removed(self) -> int:
        return sum(len(c) - 1 for c in self.clusters)


def completeness(rec: Mapping[str, Any]) -> tuple[int, int, int]:
    """How complete a record is: filled fields, abstract length, and (negated) position."""
    filled = sum(1 for f in COMPLETENESS_FIELDS if rec.get(f) not in (None, "", []))
    return filled, len(str(rec.get("abstract") or "")), -int(rec.get("id") or 0)


def choose_canonical(records: Sequence[Mapping[str, Any]], members: Iterable[int]) -> int:
    """The most complete member of a cluster (ties: longer abstract, then earlier record)."""
    return max(members, key=lambda i: (completeness(records[i]), -i))


def fill_fields(canonical: Mapping[str, Any], others: Iterable[Mapping[str, Any]]) -> dict:
    """The canonical record with its empty fields filled from the other members (a copy;
    nothing is written back). `filled_from` says which member gave each filled field."""
    out = dict(canonical)
    filled: dict[str, Any] = {}
    for other in others:
        for f in FILLABLE_FIELDS:
            if out.get(f) in (None, "", []) and other.get(f) not in (None, "", []):
                out[f] = other[f]
                filled[f] = other.get("source_key") or other.get("id")
    out["filled_from"] = filled
    return out


def score_candidates(
    recs: Sequence[MatchRecord], settings: Settings, *, new: set[int] | None = None
) -> tuple[list[tuple[int, int, PairScore]], int]:
    """Block and score: the scored candidate pairs and how many candidates there were."""
    pairs = candidate_pairs(recs, window=settings.window, max_block=settings.max_block, only=new)
    scored = score_pairs(recs, sorted(pairs), w=settings.weights, workers=settings.workers)
    return scored, len(pairs)


def cluster_scored(
    records: Sequence[Mapping[str, Any]],
    recs: Sequence[MatchRecord],
    scored: Sequence[tuple[int, int, PairScore]],
    settings: Settings,
    *,
    same: Iterable[Pair] = (),
    different: Iterable[Pair] = (),
) -> DedupResult:
    """Clusters (canonical first) and every scored pair's verdict, at the settings'
    thresholds (scoring once and clustering at several thresholds is how the benchmark
    chooses them)."""

    def rescore(i: int, j: int) -> PairScore:
        return score_pair(recs[i], recs[j], w=settings.weights)

    cl = cluster(
        scored,
        auto_threshold=settings.auto_threshold,
        queue_threshold=settings.queue_threshold,
        rescore=rescore,
        same=same,
        different=different,
    )
    by_pair = {(i, j): s for i, j, s in scored}
    results = []
    for (i, j), (verdict, note) in sorted(cl.verdicts.items()):
        s = by_pair.get((i, j)) or rescore(i, j)
        reason = f"{s.reason}; {note}" if note and note != s.ask else s.reason
        results.append(PairResult(i, j, s.score, verdict, reason))
    clusters = []
    for members in cl.clusters:
        canon = choose_canonical(records, members)
        clusters.append([canon, *[m for m in members if m != canon]])
    return DedupResult(clusters, results)


def find_duplicates(
    records: Sequence[Mapping[str, Any]],
    *,
    settings: Settings | None = None,
    new: set[int] | None = None,
    same: Iterable[Pair] = (),
    different: Iterable[Pair] = (),
    prepared: Sequence[MatchRecord] | None = None,
) -> DedupResult:
    """Find duplicate records.

    `new`: when given, only candidate pairs touching these indices are scored (a re-run after
    an import); `same` / `different`: index pairs a person has decided; `prepared`: reuse
    already normalised records.
    """
    st = settings or Settings()
    t0 = time.perf_counter()
    recs = list(prepared) if prepared is not None else prepare_all(records)
    t1 = time.perf_counter()
    scored, n_candidates = score_candidates(recs, st, new=new)
    t3 = time.perf_counter()
    result = cluster_scored(records, recs, scored, st, same=same, different=different)
    t4 = time.perf_counter()
    result.timings = {
        "normalise": t1 - t0,
        "block_and_score": t3 - t1,
        "cluster": t4 - t3,
        "candidates": float(n_candidates),
    }
    log.info("dedup: %d records, %d candidate pairs, %s", len(recs), n_candidates, result.timings)
    return result
