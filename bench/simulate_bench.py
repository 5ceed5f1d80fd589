"""Simulate the 15 labelled reviews with several presets and seeds; choose leave-one-review-out.

    nice -n 10 python bench/simulate_bench.py [--presets svm-phased,elas-u4,...] [--seeds 5]
    python bench/simulate_bench.py --report-only      # tables from bench/out/simulate_runs.json
    ... --runs bench/out/other.json                   # runs kept in another file (two at once)

Sets: the five SYNERGY reviews and the ten Cohen 2006 reviews in ../shared/corpora. Protocol as
ASReview's anchors (../shared/corpora/ANCHORS.md): 1 included + 1 excluded random prior, drawn
for seed S as ASReview's `--prior-seed S` draws them, screen to the end; metrics as
../shared/tools/screen_metrics.py.

Every run's screening order (its labels in order) is kept in bench/out/simulate_runs.json, so
that `bench/stopping_bench.py` can judge stopping rules on the same orders. New presets are added
to the file (`--presets` runs only those); the report always covers all presets in it.

Choosing by cross-validation over reviews: for each held-out review, the preset with the best
mean WSS@95 on the other 14 is chosen, and its figures on the held-out review are the LOO figures.
The paired comparison with ELAS u4 takes, per review, our mean over seeds minus ASReview's mean
(anchors); mean difference with a 95% t interval over the 15 reviews, wins/losses. When
bench/out/asreview_runs.json holds ASReview's own runs (bench/asreview_runs.py), each preset is
also paired with them: the same seeds, so the same priors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import t as student_t

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.dataset import read_labelled_csv  # noqa: E402
from screening.metrics import score_order  # noqa: E402
from screening.presets import DEFAULT_PRESET, get_preset  # noqa: E402
from screening.simulate import featurize, simulate  # noqa: E402

CORPORA = Path(os.environ.get("LITSIFT_SHARED", ROOT.parent / "shared")) / "corpora"
# ASReview LAB 3.0.8 ELAS u4 (../shared/corpora/ANCHORS.md): WSS@95, recall@10%, ATD, last
ANCHORS = {
    "Donners_2021": (0.566, 0.680, 0.093, 0.384),
    "Jeyaraman_2020": (0.638, 0.667, 0.105, 0.749),
    "Nelson_2002": (0.360, 0.280, 0.232, 0.748),
    "Oud_2018": (0.842, 0.890, 0.057, 0.150),
    "van_der_Valk_2021": (0.462, 0.348, 0.189, 0.610),
    "Cohen_2006_Antihistamines": (-0.015, 0.417, 0.238, 0.965),
    "Cohen_2006_AtypicalAntipsychotics": (0.265, 0.386, 0.222, 0.977),
    "Cohen_2006_BetaBlockers": (0.728, 0.754, 0.095, 0.814),
    "Cohen_2006_CalciumChannelBlockers": (0.416, 0.377, 0.173, 0.732),
    "Cohen_2006_Estrogens": (0.401, 0.258, 0.236, 0.767),
    "Cohen_2006_NSAIDS": (0.719, 0.602, 0.093, 0.265),
    "Cohen_2006_OralHypoglycemics": (0.175, 0.250, 0.308, 0.970),
    "Cohen_2006_SkeletalMuscleRelaxants": (0.307, 0.296, 0.287, 0.643),
    "Cohen_2006_Triptans": (0.677, 0.278, 0.152, 0.692),
    "Cohen_2006_UrinaryIncontinence": (0.459, 0.392, 0.189, 0.646),
}
KEYS = ("wss95", "recall10", "atd", "last")
RUNS = ROOT / "bench" / "out" / "simulate_runs.json"
ASREVIEW_RUNS = ROOT / "bench" / "out" / "asreview_runs.json"  # bench/asreview_runs.py


def asreview_means(path: Path = ASREVIEW_RUNS) -> dict[str, np.ndarray]:
    """set → mean over seeds of KEYS for ASReview's own runs (bench/asreview_runs.py), when
    every set has them; {} otherwise. Priors are drawn alike, so seed S pairs with seed S."""
    if not path.exists():
        return {}
    by_set: dict[str, list[list[float]]] = {}
    for r in json.loads(path.read_text())["runs"]:
        m = score_order([int(c) for c in r["labels"]])
        by_set.setdefault(r["set"], []).append([m.wss95, m.recall10, m.atd, m.last])
    if set(by_set) != set(ANCHORS):
        return {}
    return {s: np.mean(v, axis=0) for s, v in by_set.items()}


def data_files() -> list[Path]:
    return sorted(CORPORA.glob("synergy/*.csv")) + sorted(CORPORA.glob("cohen2006/*.csv"))


def run_set(presets: list[str], path: str, seeds: int) -> list[dict[str, Any]]:
    """All presets × seeds on one set (features computed once per feature configuration)."""
    data = read_labelled_csv(Path(path))
    feats: dict[str, Any] = {}
    out = []
    for name in presets:
        preset = get_preset(name)
        key = json.dumps([preset.features, preset.title_weight], sort_keys=True)
        t = time.perf_counter()
        if key not in feats:
            feats[key] = featurize(preset, data.titles, data.abstracts)
        feat_s = time.perf_counter() - t
        runs = []
        for s in range(seeds):
            res = simulate(feats[key], data.labels, preset, seed=s)
            runs.append(
                {
                    "seed": s,
                    **res.metrics.to_dict(),
                    "seconds": res.seconds,
                    "retrains": res.n_retrains,
                    "labels": "".join(map(str, res.labels_in_order)),
                }
            )
        out.append({"preset": name, "set": Path(path).stem, "features_s": feat_s, "runs": runs})
    return out


def set_means(results: list[dict[str, Any]]) -> dict[str, dict[str, np.ndarray]]:
    """preset → set → mean over seeds of KEYS."""
    out: dict[str, dict[str, np.ndarray]] = {}
    for r in results:
        m = np.array([np.mean([x[k] for x in r["runs"]]) for k in KEYS])
        out.setdefault(r["preset"], {})[r["set"]] = m
    return out


def paired(
    ours: dict[str, np.ndarray], idx: int = 0, ref: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Per-set difference to ELAS u4 on KEYS[idx] (the anchors, or `ref`): mean, 95% t
    interval, wins/losses, worst."""
    base = ANCHORS if ref is None else ref
    d = np.array([ours[s][idx] - base[s][idx] for s in ours])
    n = len(d)
    half = float(student_t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
    better = d > 0 if idx != 2 else d < 0  # ATD: lower is better
    return {
        "mean": float(d.mean()),
        "lo": float(d.mean() - half),
        "hi": float(d.mean() + half),
        "wins": int(better.sum()),
        "losses": int(n - better.sum()),
        "worst": float(d.min() if idx != 2 else d.max()),
    }


def loo(means: dict[str, dict[str, np.ndarray]], candidates: list[str]) -> dict[str, Any]:
    """Leave-one-review-out: per held-out set, the candidate best on the other sets."""
    sets = sorted(set.intersection(*(set(means[p]) for p in candidates)))
    chosen, figs = {}, {}
    for h in sets:
        rest = [s for s in sets if s != h]
        best = max(candidates, key=lambda p: np.mean([means[p][s][0] for s in rest]))
        chosen[h] = best
        figs[h] = means[best][h]
    return {"chosen": chosen, "means": figs}


def fmt_pair(p: dict[str, Any]) -> str:
    return (
        f"{p['mean']:+.3f} [{p['lo']:+.3f}, {p['hi']:+.3f}] · {p['wins']}/{p['losses']} · "
        f"{p['worst']:+.3f}"
    )


def report(results: list[dict[str, Any]], meta: dict[str, Any]) -> list[str]:
    means = set_means(results)
    presets = list(means)
    sets = [f.stem for f in data_files()]
    lines = [
        "# Simulation results: 15 reviews, leave-one-review-out",
        "",
        f"{meta.get('date', '')}; {meta.get('machine', '')}; seeds per set: "
        f"{meta.get('seeds', '')}; command: `{meta.get('command', '')}`.",
        "",
        "Paired with ASReview ELAS u4 (ANCHORS.md, per set): mean difference [95% t interval "
        "over the 15 sets] · wins/losses · worst set. WSS@95 higher is better, ATD lower.",
        "",
        "## Each preset on all 15 (not a held-out figure: any choice among them is LOO below)",
        "",
        "| preset | sets | WSS@95 | Δ WSS@95 vs ELAS u4 | ATD | Δ ATD vs ELAS u4 | recall@10% |",
        "|---|---:|---:|---|---:|---|---:|",
    ]
    for p in presets:
        ms = means[p]
        mm = np.mean(list(ms.values()), axis=0)
        lines.append(
            f"| {p}{' (default)' if p == DEFAULT_PRESET else ''} | {len(ms)} | {mm[0]:.3f} | "
            f"{fmt_pair(paired(ms, 0))} | {mm[2]:.3f} | {fmt_pair(paired(ms, 2))} | "
            f"{mm[1]:.3f} |"
        )
    elas = np.mean([ANCHORS[s] for s in sets], axis=0)
    lines.append(f"| ASReview ELAS u4 (anchors) | 15 | {elas[0]:.3f} | | {elas[2]:.3f} | | "
                 f"{elas[1]:.3f} |")  # fmt: skip
    asr = asreview_means()
    if asr:
        lines += [
            "",
            "Paired with ASReview's own runs (bench/asreview_runs.py: ELAS u4, seeds 0-4 on all "
            "15, the same priors seed for seed):",
            "",
            "| preset | Δ WSS@95 vs ASReview's runs | Δ ATD |",
            "|---|---|---|",
        ]
        for p in presets:
            lines.append(
                f"| {p} | {fmt_pair(paired(means[p], 0, asr))} | "
                f"{fmt_pair(paired(means[p], 2, asr))} |"
            )
        am = np.mean(list(asr.values()), axis=0)
        lines.append(f"| ASReview's runs | WSS@95 {am[0]:.3f} | ATD {am[2]:.3f} |")
    full = [p for p in presets if len(means[p]) == len(sets)]
    if full:
        lo = loo(means, full)
        lines += [
            "",
            f"## Leave-one-review-out choice among: {', '.join(full)}",
            "",
            "| held-out set | chosen on the other 14 | WSS@95 | ELAS u4 | Δ | ATD | ELAS u4 |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for s in sets:
            m = lo["means"][s]
            a = ANCHORS[s]
            lines.append(
                f"| {s} | {lo['chosen'][s]} | {m[0]:.3f} | {a[0]:.3f} | {m[0] - a[0]:+.3f} | "
                f"{m[2]:.3f} | {a[2]:.3f} |"
            )
        mm = np.mean(list(lo["means"].values()), axis=0)
        lines += [
            f"| **mean** | | **{mm[0]:.3f}** | {elas[0]:.3f} | {mm[0] - elas[0]:+.3f} | "
            f"**{mm[2]:.3f}** | {elas[2]:.3f} |",
            "",
            f"LOO vs ELAS u4, WSS@95: {fmt_pair(paired(lo['means'], 0))}; "
            f"ATD: {fmt_pair(paired(lo['means'], 2))}.",
        ]
        if asr:
            lines += [
                "",
                f"LOO vs ASReview's own runs (same seeds), WSS@95: "
                f"{fmt_pair(paired(lo['means'], 0, asr))}; ATD: "
                f"{fmt_pair(paired(lo['means'], 2, asr))}.",
            ]
    lines += ["", "## Per set (mean over seeds; ELAS u4 in brackets)", ""]
    head = "| set | " + " | ".join(presets) + " | ELAS u4 |" + (" ASReview's runs |" if asr else "")
    lines += ["WSS@95:", "", head, "|---|" + "---:|" * (len(presets) + 1 + bool(asr))]
    for s in sets:
        cells = [f"{means[p][s][0]:.3f}" if s in means[p] else "" for p in presets]
        extra = f" {asr[s][0]:.3f} |" if asr else ""
        lines.append(f"| {s} | " + " | ".join(cells) + f" | {ANCHORS[s][0]:.3f} |" + extra)
    lines += ["", "ATD:", "", head, "|---|" + "---:|" * (len(presets) + 1 + bool(asr))]
    for s in sets:
        cells = [f"{means[p][s][2]:.3f}" if s in means[p] else "" for p in presets]
        extra = f" {asr[s][2]:.3f} |" if asr else ""
        lines.append(f"| {s} | " + " | ".join(cells) + f" | {ANCHORS[s][2]:.3f} |" + extra)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default=DEFAULT_PRESET)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all 15)")
    ap.add_argument("--report-only", action="store_true")
    ap.add_argument("--runs", default=str(RUNS), help="the stored runs (JSON) to add to")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "simulate_results.md"))
    args = ap.parse_args()
    runs = Path(args.runs)
    old: dict[str, Any] = json.loads(runs.read_text()) if runs.exists() else {"results": []}
    results: list[dict[str, Any]] = old["results"]
    if not args.report_only:
        presets = [p for p in args.presets.split(",") if p]
        for p in presets:
            get_preset(p)
        files = [f for f in data_files() if not args.sets or f.stem in args.sets.split(",")]
        t0 = time.perf_counter()
        old.setdefault("meta", {})
        with ProcessPoolExecutor(args.jobs) as pool:
            # one job per (set, preset), largest sets first; results saved as they come
            jobs = [(p, f) for p in presets for f in sorted(files, key=lambda f: -f.stat().st_size)]
            futs = [pool.submit(run_set, [p], str(f), args.seeds) for p, f in jobs]
            for fut in as_completed(futs):
                new = fut.result()
                done = {(r["preset"], r["set"]) for r in new}
                results = [r for r in results if (r["preset"], r["set"]) not in done] + new
                old["results"] = results
                runs.parent.mkdir(parents=True, exist_ok=True)
                runs.write_text(json.dumps(old))
        old["meta"].update(
            {
                "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "machine": f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, "
                f"{args.jobs} processes, nice {os.nice(0)}, load average at the end "
                f"{os.getloadavg()[0]:.1f})",
                "seeds": args.seeds,
                "command": "python bench/simulate_bench.py " + " ".join(sys.argv[1:]),
                f"wall_s_{'+'.join(presets)}": round(time.perf_counter() - t0),
            }
        )
        runs.parent.mkdir(parents=True, exist_ok=True)
        runs.write_text(json.dumps(old))
    lines = report(results, old.get("meta", {}))
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
