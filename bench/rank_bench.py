"""Time to retrain + rerank after one decision, and to serve the next record, at 10k/50k/100k.

Records are the SYNERGY sets in ../shared/corpora/synergy repeated with perturbations (words
dropped and shuffled) up to 100k. Features are computed once (timed separately) and cached;
the smaller sizes use the first rows of that matrix. For each size the ranker holds
`--labels` decisions (5% includes), then one more decision is made and we time the
synchronous retrain + rerank, and `next_row` from the published ranking.

    python bench/rank_bench.py [--model NAME] [--labels 500] [--sizes 10000,50000,100000]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.features import record_text  # noqa: E402
from screening.live import LiveRanker  # noqa: E402
from screening.presets import get_preset  # noqa: E402

SYNERGY = ROOT.parent / "shared" / "corpora" / "synergy"


def corpus(n: int, title_weight: int = 1, seed: int = 0) -> list[str]:
    """`n` texts: the SYNERGY records, then perturbed copies of them."""
    base = []
    for f in sorted(SYNERGY.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            rows = csv.DictReader(fh)
            base += [record_text(r["title"], r["abstract"], title_weight) for r in rows]
    rng = np.random.default_rng(seed)
    texts = list(base[:n])
    while len(texts) < n:
        words = base[int(rng.integers(len(base)))].split()
        keep = [w for w in words if rng.random() > 0.15]
        i = int(rng.integers(max(len(keep), 1)))
        texts.append(" ".join(keep[i:] + keep[:i]))
    return texts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--labels", type=int, default=500)
    ap.add_argument("--sizes", default="10000,50000,100000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "rank_bench.md"))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    preset = get_preset(args.model)
    texts = corpus(max(sizes), preset.title_weight)
    t = time.perf_counter()
    X_all = preset.make_features().fit_transform(texts)
    feat_s = time.perf_counter() - t
    print(f"features for {len(texts)} records: {feat_s:.1f} s, {X_all.shape[1]} columns")
    rows = []
    for n in sizes:
        X = X_all[:n]
        rng = np.random.default_rng(1)
        live = LiveRanker(X, preset, background=False)
        labelled = rng.choice(n, args.labels + args.repeat, replace=False)
        for i, r in enumerate(labelled[: args.labels]):
            live.labels[int(r)] = int(i % 20 == 0)
        retrain, serve = [], []
        for r in labelled[args.labels :]:
            t = time.perf_counter()
            live.decide(int(r), 0)  # synchronous: fit + score + rank
            retrain.append(time.perf_counter() - t)
            t = time.perf_counter()
            live.next_row()
            serve.append(time.perf_counter() - t)
        rows.append((n, statistics.median(retrain), max(retrain), statistics.median(serve)))
        print(
            f"{n:>7} records: retrain+rerank median {rows[-1][1]:.3f} s (max {rows[-1][2]:.3f}),"
            f" next record {rows[-1][3] * 1000:.2f} ms"
        )
    lines = [
        f"# rank_bench ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, preset {preset.name}, {args.labels} decisions held)",
        "",
        f"Features for {len(texts)} records: {feat_s:.1f} s (once per review, cached).",
        "",
        "| records | retrain + rerank (median) | max | next record served |",
        "|---:|---:|---:|---:|",
        *[f"| {n} | {a:.3f} s | {b:.3f} s | {c * 1000:.2f} ms |" for n, a, b, c in rows],
        "",
        f"Command: `python bench/rank_bench.py --labels {args.labels} --sizes {args.sizes}`",
    ]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
