"""Leave-one-set-out evaluation of deduplication on the labelled sets (used by
`python bench/dedup_bench.py labelled` and `... loo`).

Each set is imported into a temporary review with the generic CSV reader and its candidate
pairs are scored once. For each held-out set, the thresholds (automatic merge, queue) are
chosen on all the *other* sets from a small grid — the choice must keep every training set
at precision 1.0 and recall with the queue ≥ 0.99 with the pooled queue ≤ 5% of records,
and then maximises pooled automatic recall — and the held-out set is scored with them by
../shared/tools/dedup_score.py. The hand-written pair cases (labels valid only within a
case) are scored case by case.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AUTO_GRID = (0.95, 0.98, 0.99, 0.995, 0.999)
QUEUE_GRID = (0.3, 0.5, 0.7, 0.9)
TARGETS = {"precision": 1.0, "recall_with_queue": 0.99, "queue_share": 0.05}


@dataclass
class ScoredSet:
    """One labelled set, imported and scored once."""

    name: str
    path: Path
    records: list[dict[str, Any]]
    prepared: list[Any]
    scored: list[Any]
    results: dict[tuple[float, float], dict[str, Any]] = field(default_factory=dict)


def load_and_score(name: str, path: Path) -> ScoredSet:
    """Import a labelled CSV into a temporary review and score its candidate pairs."""
    from review.dedup.engine import Settings, score_candidates
    from review.dedup.normalize import prepare_all
    from review.dedup.store import load_records
    from review.service import import_files, open_review

    with tempfile.TemporaryDirectory() as tmp:
        store = open_review(str(Path(tmp) / "r.db"))
        import_files(store, [path])
        with store.begin() as conn:
            records = load_records(conn)
        store.dispose()
    prepared = prepare_all(records)
    scored, _ = score_candidates(prepared, Settings())
    return ScoredSet(name, path, records, prepared, scored)


def evaluate(s: ScoredSet, auto: float, queue: float, score: Callable[..., dict]) -> dict:
    """Cluster at the given thresholds and score with the reference scorer (cached)."""
    key = (auto, queue)
    if key in s.results:
        return s.results[key]
    from review.dedup.engine import Settings, cluster_scored

    res = cluster_scored(
        s.records,
        s.prepared,
        s.scored,
        Settings(auto_threshold=auto, queue_threshold=min(queue, auto)),
    )
    keys = [r["source_key"] for r in s.records]
    with tempfile.TemporaryDirectory() as tmp:
        cl, pr = Path(tmp) / "clusters.csv", Path(tmp) / "pairs.csv"
        members = [(keys[m], c) for c, ms in enumerate(res.clusters) for m in ms]
        _write(
            cl,
            ["source_key", "cluster_id"],
            [{"source_key": k, "cluster_id": c} for k, c in members],
        )
        pairs = [(keys[p.i], keys[p.j], p.decision) for p in res.pairs]
        _write(
            pr,
            ["source_key_a", "source_key_b", "decision"],
            [{"source_key_a": a, "source_key_b": b, "decision": d} for a, b, d in pairs],
        )
        out = dict(score(str(s.path), str(cl), str(pr)))
    s.results[key] = out
    return out


def _write(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def choose(train: list[ScoredSet], score: Callable[..., dict]) -> tuple[float, float, bool]:
    """Thresholds chosen on the training sets: (auto, queue, whether all targets held)."""
    best: tuple[Any, ...] | None = None
    for auto in AUTO_GRID:
        for queue in QUEUE_GRID:
            if queue > auto:
                continue
            rs = [evaluate(s, auto, queue, score) for s in train]
            records = sum(r["records"] for r in rs)
            queued = sum(r["queued_pairs"] for r in rs)
            true_pairs = sum(r["true_pairs"] for r in rs)
            auto_tp = sum(r["pair_tp"] for r in rs)
            ok = (
                all(r["false_merges"] == 0 for r in rs)
                and all(r["recall_with_queue"] >= TARGETS["recall_with_queue"] for r in rs)
                and queued <= TARGETS["queue_share"] * records
            )
            # feasible first, then automatic recall, then a smaller queue, then stricter
            key = (ok, auto_tp / max(true_pairs, 1), -queued, auto, queue)
            if best is None or key > best:
                best = key
    assert best is not None
    return best[3], best[4], best[0]


def leave_one_out(sets: list[ScoredSet], score: Callable[..., dict]) -> list[dict[str, Any]]:
    """For each set: thresholds chosen on the others and the held-out set's figures."""
    rows = []
    for held in sets:
        train = [s for s in sets if s is not held]
        auto, queue, feasible = choose(train, score)
        r = evaluate(held, auto, queue, score)
        rows.append({"set": held.name, "auto": auto, "queue": queue, "feasible": feasible, **r})
    return rows


def pair_cases(path: Path) -> dict[str, int]:
    """The hand-written pair cases, each scored on its own two records."""
    from review.dedup.engine import find_duplicates

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_case: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_case[r["case_id"]].append(
            {**r, "authors": [a for a in r["authors"].replace(" and ", ";").split(";") if a]}
        )
    out = {"dup": 0, "dup_merged": 0, "dup_queued": 0, "non_dup": 0, "non_dup_merged": 0}
    for recs in by_case.values():
        if len(recs) != 2:
            continue
        res = find_duplicates(recs)
        merged = bool(res.clusters)
        queued = any(p.decision == "queued" for p in res.pairs)
        if recs[0]["expected_duplicate"] == "true":
            out["dup"] += 1
            out["dup_merged"] += merged
            out["dup_queued"] += queued and not merged
        else:
            out["non_dup"] += 1
            out["non_dup_merged"] += merged
    return out


def table(rows: list[dict[str, Any]], anchors: dict[str, list[str]]) -> list[str]:
    """Markdown rows: held-out figures beside the targets and bib-dedupe's."""
    lines = [
        "| held-out set | thresholds (auto / queue) chosen on the others | records "
        "| pair precision | automatic recall | bib-dedupe 0.11 automatic recall "
        "| recall with queue | queued pairs (% of records) | false merges | targets met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        a = anchors.get(r["set"])
        bib = float(a[3]) if a else None
        share = r["queued_pairs"] / r["records"]
        missed = []
        if r["pair_precision"] < TARGETS["precision"]:
            missed.append("precision")
        if r["recall_with_queue"] < TARGETS["recall_with_queue"]:
            missed.append("recall with queue")
        if share > TARGETS["queue_share"]:
            missed.append("queue ≤ 5%")
        if bib is not None and round(r["pair_recall"], 3) < bib:
            missed.append("automatic recall")
        note = "" if r["feasible"] else " (no grid point met every target on the others)"
        lines.append(
            f"| {r['set']} | {r['auto']} / {r['queue']}{note} "
            f"| {r['records']} | {r['pair_precision']:.3f} | {r['pair_recall']:.4f} "
            f"| {a[3] if a else '–'} | {r['recall_with_queue']:.3f} "
            f"| {r['queued_pairs']} ({share:.1%}) | {r['false_merges']} "
            f"| {'all' if not missed else 'not: ' + ', '.join(missed)} |"
        )
    return lines
