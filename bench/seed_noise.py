"""How much of a per-review difference to ASReview's anchors is seed noise.

    python bench/seed_noise.py [--preset elas-u4] [--runs bench/out/simulate_runs.json]

Reads the stored simulations (bench/simulate_bench.py) and, per review, the standard deviation of
WSS@95 over seeds (the preset's own, and pooled over every preset in the file, which is steadier
with 5 seeds). A per-review comparison is our mean over 5 seeds minus the anchors' mean over 5
(SYNERGY) or 3 (Cohen) seeds of a method with the same spread, so its noise is
sd × sqrt(1/5 + 1/k). From that, for a ranker whose true WSS@95 is ELAS u4's plus `shift` on every
review: the chance that it passes "no review more than 0.05 worse" on all 15, and the chance that
the 15-review mean difference reaches 0.03 (normal approximation; reviews independent).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.simulate_bench import ANCHORS, RUNS  # noqa: E402

ANCHOR_SEEDS = {s: (3 if s.startswith("Cohen") else 5) for s in ANCHORS}


def seed_sds(results: list[dict], preset: str) -> tuple[dict[str, float], dict[str, float], int]:
    """Per review: the preset's seed SD of WSS@95, the SD pooled over all presets, our seeds."""
    own, pooled, n_seeds = {}, {}, 0
    by_set: dict[str, list[np.ndarray]] = {}
    for r in results:
        w = np.array([x["wss95"] for x in r["runs"]])
        by_set.setdefault(r["set"], []).append(w)
        if r["preset"] == preset:
            own[r["set"]] = float(w.std(ddof=1))
            n_seeds = len(w)
    for s, ws in by_set.items():
        ss = sum(((w - w.mean()) ** 2).sum() for w in ws)
        dof = sum(len(w) - 1 for w in ws)
        pooled[s] = float(np.sqrt(ss / dof))
    return own, pooled, n_seeds


def pass_chances(sd: dict[str, float], ours: int, shift: float) -> tuple[float, float, float]:
    """For a true per-review gain `shift`: P(every review > -0.05), P(mean gain >= 0.03),
    and the expected number of reviews below -0.05."""
    noise = np.array([sd[s] * np.sqrt(1 / ours + 1 / ANCHOR_SEEDS[s]) for s in sd])
    p_ok = norm.cdf((shift + 0.05) / noise)
    mean_sd = np.sqrt((noise**2).sum()) / len(noise)
    return float(p_ok.prod()), float(norm.sf((0.03 - shift) / mean_sd)), float((1 - p_ok).sum())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="elas-u4")
    ap.add_argument("--runs", default=str(RUNS))
    args = ap.parse_args()
    results = json.loads(Path(args.runs).read_text())["results"]
    own, pooled, n = seed_sds(results, args.preset)
    sets = [s for s in ANCHORS if s in own]
    print(f"| review | anchor seeds | SD {args.preset} | SD pooled | noise of Δ (pooled) |")
    print("|---|---:|---:|---:|---:|")
    for s in sets:
        noise = pooled[s] * np.sqrt(1 / n + 1 / ANCHOR_SEEDS[s])
        print(f"| {s} | {ANCHOR_SEEDS[s]} | {own[s]:.3f} | {pooled[s]:.3f} | {noise:.3f} |")
    print(f"| median | | {np.median([own[s] for s in sets]):.3f} | "
          f"{np.median([pooled[s] for s in sets]):.3f} | |")  # fmt: skip
    print()
    print("| true gain on every review | P(no review < -0.05) | P(mean Δ ≥ 0.03) | "
          "expected reviews < -0.05 |")  # fmt: skip
    print("|---:|---:|---:|---:|")
    for shift in (0.0, 0.01, 0.03, 0.05):
        p_all, p_mean, k = pass_chances({s: pooled[s] for s in sets}, n, shift)
        print(f"| {shift:+.2f} | {p_all:.2f} | {p_mean:.2f} | {k:.1f} |")
    print()
    rms = np.sqrt(np.mean([pooled[s] ** 2 * (1 / n + 1 / ANCHOR_SEEDS[s]) for s in sets]))
    print(f"Seed noise of a per-review Δ, root mean square over the reviews: {rms:.3f}.")
    print()
    print("| preset | SD over reviews of Δ vs anchors | worst Δ | worst review |")
    print("|---|---:|---:|---|")
    for p in dict.fromkeys(r["preset"] for r in results):
        d = {r["set"]: np.mean([x["wss95"] for x in r["runs"]]) - ANCHORS[r["set"]][0]
             for r in results if r["preset"] == p}  # fmt: skip
        worst = min(d, key=lambda s: d[s])
        print(f"| {p} | {np.std(list(d.values()), ddof=1):.3f} | {d[worst]:+.3f} | {worst} |")


if __name__ == "__main__":
    main()
