"""Simulate every SYNERGY set with several presets and seeds; write a Markdown table.

    nohup python bench/simulate_bench.py [--presets svm,lr,...] [--seeds 5] &

Protocol: 1 included + 1 excluded random prior (seeded), screen to the end, metrics as in
../shared/tools/screen_metrics.py. Stopping: the hypergeometric rule (target 95%, alpha 0.05)
and the heuristic (max(50, 5% of N) excludes in a row), evaluated on the same orders.
Writes bench/out/simulate_results.md (and .json).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.dataset import read_labelled_csv  # noqa: E402
from screening.presets import DEFAULT_PRESET, PRESETS, get_preset  # noqa: E402
from screening.simulate import featurize, simulate  # noqa: E402
from screening.stopping import StoppingRule, evaluate_stopping  # noqa: E402

SYNERGY = ROOT.parent / "shared" / "corpora" / "synergy"
# ASReview LAB 3.0.8 ELAS u4, ../shared/corpora/ANCHORS.md
ANCHORS = {
    "Donners_2021": (0.566, 0.680, 0.093, 0.384),
    "Jeyaraman_2020": (0.638, 0.667, 0.105, 0.749),
    "Nelson_2002": (0.360, 0.280, 0.232, 0.748),
    "Oud_2018": (0.842, 0.890, 0.057, 0.150),
    "van_der_Valk_2021": (0.462, 0.348, 0.189, 0.610),
}
KEYS = ("wss95", "recall10", "atd", "last")


def run_set(preset_name: str, path: str, seeds: int) -> dict[str, Any]:
    preset = get_preset(preset_name)
    data = read_labelled_csv(Path(path))
    t = time.perf_counter()
    X = featurize(preset, data.titles, data.abstracts)
    feat_s = time.perf_counter() - t
    runs = []
    for s in range(seeds):
        res = simulate(X, data.labels, preset, seed=s, stop=StoppingRule("hypergeom"))
        rng = np.random.default_rng(s)
        heur = evaluate_stopping(StoppingRule("consecutive"), res.labels_in_order, rng)
        assert res.stopping is not None and heur is not None
        runs.append(
            {
                **res.metrics.to_dict(),
                "seconds": res.seconds,
                "retrains": res.n_retrains,
                "hg": res.stopping.to_dict(),
                "heur": heur.to_dict(),
            }
        )
    return {"preset": preset_name, "set": Path(path).stem, "features_s": feat_s, "runs": runs}


def table(preset: str, results: list[dict[str, Any]]) -> list[str]:
    out = [
        f"### {preset}" + (" (default)" if preset == DEFAULT_PRESET else ""),
        "",
        f"{PRESETS[preset].description}",
        "",
        "| set | WSS@95 | recall@10% | ATD | last include | hypergeom stop: recall / "
        "runs ≥95% / work saved | heuristic stop: recall / runs ≥95% / work saved | "
        "time per simulation |",
        "|---|---:|---:|---:|---:|---|---|---:|",
    ]
    means = []
    for r in results:
        runs = r["runs"]
        m = [float(np.mean([x[k] for x in runs])) for k in KEYS]
        hg = [float(np.mean(v)) for v in _stop(runs, "hg")]
        he = [float(np.mean(v)) for v in _stop(runs, "heur")]
        sec = float(np.mean([x["seconds"] for x in runs])) + r["features_s"]
        means.append((*m, *hg, *he, sec))
        a = ANCHORS.get(r["set"])
        cmp = f" ({a[0]:.3f})" if a else ""
        out.append(
            f"| {r['set']} | {m[0]:.3f}{cmp} | {m[1]:.3f} | {m[2]:.3f} | {m[3]:.3f} | "
            f"{hg[0]:.3f} / {hg[1]:.0%} / {hg[2]:.3f} | {he[0]:.3f} / {he[1]:.0%} / {he[2]:.3f} "
            f"| {sec:.1f} s |"
        )
    mm = np.mean(means, axis=0)
    out.append(
        f"| **mean** | **{mm[0]:.3f}** (0.573) | **{mm[1]:.3f}** | **{mm[2]:.3f}** | {mm[3]:.3f} | "
        f"{mm[4]:.3f} / {mm[5]:.0%} / {mm[6]:.3f} | {mm[7]:.3f} / {mm[8]:.0%} / {mm[9]:.3f} | |"
    )
    return [*out, ""]


def _stop(runs: list[dict[str, Any]], key: str) -> tuple[list[float], list[float], list[float]]:
    rec = [x[key]["recall"] for x in runs]
    return rec, [float(v >= 0.95) for v in rec], [x[key]["work_saved"] for x in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default=",".join(PRESETS))
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "simulate_results.md"))
    args = ap.parse_args()
    presets = args.presets.split(",")
    files = sorted(SYNERGY.glob("*.csv"))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        futs = [pool.submit(run_set, p, str(f), args.seeds) for p in presets for f in files]
        results = [f.result() for f in futs]
    wall = time.perf_counter() - t0
    lines = [
        "# Simulation results",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()} ({platform.machine()}, "
        f"{args.jobs} processes), {len(files)} SYNERGY sets × {args.seeds} seeds "
        f"(0..{args.seeds - 1}), 1+1 random priors, screening to the end; {wall:.0f} s in all.",
        f"Command: `python bench/simulate_bench.py --presets {args.presets} --seeds {args.seeds}`",
        "",
        "Metrics as in ../shared/tools/screen_metrics.py; in brackets ASReview LAB ELAS u4 "
        "(ANCHORS.md: mean WSS@95 0.573, recall@10% 0.573, ATD 0.135, last 0.528).",
        "Stopping, hypergeom: rank until max(50, 5% of N) excludes in a row, then random sample "
        "until H0 recall < 95% is rejected at alpha 0.05 (Callaghan & Müller-Hansen 2020); "
        "heuristic: stop at max(50, 5% of N) excludes in a row. Time per simulation includes "
        "features.",
        "",
        "## Summary (means over sets)",
        "",
        "| preset | WSS@95 | recall@10% | ATD | last include | hypergeom: runs ≥95% recall | "
        "hypergeom work saved |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in presets:
        rs = [r for r in results if r["preset"] == p]
        allruns = [x for r in rs for x in r["runs"]]
        m = [np.mean([np.mean([x[k] for x in r["runs"]]) for r in rs]) for k in KEYS]
        ok = np.mean([x["hg"]["recall"] >= 0.95 for x in allruns])
        ws = np.mean([x["hg"]["work_saved"] for x in allruns])
        lines.append(
            f"| {p} | {m[0]:.3f} | {m[1]:.3f} | {m[2]:.3f} | {m[3]:.3f} | {ok:.0%} | {ws:.3f} |"
        )
    lines.append("| ASReview ELAS u4 (anchors) | 0.573 | 0.573 | 0.135 | 0.528 | | |")
    lines += ["", "## Per set", ""]
    for p in presets:
        lines += table(p, [r for r in results if r["preset"] == p])
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    Path(args.out).with_suffix(".json").write_text(json.dumps(results, indent=1))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
