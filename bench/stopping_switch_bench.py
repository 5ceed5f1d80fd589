"""The `switch` stopping rule (SAFE's third phase after `decay`) on the stored orders.

    nice -n 10 python bench/stopping_switch_bench.py --prepare --presets svm-phased,elas-u4
    python bench/stopping_switch_bench.py --preset svm-phased --draws 5

`--prepare` needs the record ids of each stored order up to the point where the decay bound
fires (bench/out/simulate_runs.json keeps only the labels): it re-runs the simulation of
bench/simulate_bench.py (same preset, seed and priors; deterministic) up to that point and
checks that the labels match the stored ones; then it simulates phase 2 — the second model
(screening.stopping_switch: character n-grams + logistic regression) fitted on every label so
far, refitted after each include and every 1% of N, serving its top records until
max(100, 20% of N) excludes in a row, the rest in its last ranking's order. Kept in
bench/out/switch_runs.json (the label sequence after the switch point).

Judging (no `--prepare`) applies each variant of the rule to those sequences, with `--draws`
random checks per order, as bench/stopping_bench.py does, and a leave-one-review-out choice
among the variants. Writes bench/out/stopping_switch_results{,_PRESET}.md / .json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stopping_bench import hypergeom_rule, summary, verdict  # noqa: E402
from screening.dataset import read_labelled_csv  # noqa: E402
from screening.features import record_text  # noqa: E402
from screening.metrics import screened_at_recall  # noqa: E402
from screening.presets import get_preset  # noqa: E402
from screening.simulate import featurize, pick_priors, screening_order  # noqa: E402
from screening.stopping_decay import check_size, checked_stop, decay_ok  # noqa: E402
from screening.stopping_switch import alt_features, alt_sequence, run_ok, switch_ok  # noqa: E402

RUNS = ROOT / "bench" / "out" / "simulate_runs.json"
SWITCH = ROOT / "bench" / "out" / "switch_runs.json"
CORPORA = Path(os.environ.get("LITSIFT_SHARED", ROOT.parent / "shared")) / "corpora"


def first_ok(ok: np.ndarray) -> int:
    """Records screened when `ok` first holds (len(ok): never)."""
    hit = np.flatnonzero(ok)
    return int(hit[0]) + 1 if len(hit) else len(ok)


def prepare_set(path: str, stored: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Phase-2 sequences of every stored run (preset → runs) of one set."""
    data = read_labelled_csv(Path(path))
    labels = np.asarray(data.labels, dtype=np.int64)
    n = len(labels)
    t = time.perf_counter()
    X_alt = alt_features(
        [record_text(a, b, 1) for a, b in zip(data.titles, data.abstracts, strict=True)]
    )
    alt_s = time.perf_counter() - t
    out = []
    feats: dict[str, Any] = {}  # features per configuration, computed once per set
    for name, runs in stored.items():
        preset = get_preset(name)
        key = json.dumps([preset.features, preset.title_weight], sort_keys=True)
        rows = []
        for run in runs:
            y = [int(c) for c in run["labels"]]
            s1 = first_ok(decay_ok(y))
            t = time.perf_counter()
            if s1 >= n:
                rows.append({"seed": run["seed"], "switch_at": n, "seconds": 0.0})
                continue
            if key not in feats:
                feats[key] = featurize(preset, data.titles, data.abstracts)
            X = feats[key]
            priors = pick_priors(labels, 1, 1, run["seed"])
            order, _ = screening_order(
                X, labels, preset, priors, np.random.default_rng(run["seed"]), limit=s1
            )
            got = "".join(str(int(labels[i])) for i in order)
            if got != run["labels"][:s1]:  # not the stored order (made by older code): left out
                print(f"{name} {Path(path).stem} seed {run['seed']}: order differs", flush=True)
                continue
            max_run, step = max(100, math.ceil(0.2 * n)), max(1, round(0.01 * n))
            seqs = {
                "char-lr": alt_sequence(X_alt, labels, order, max_run, step),
                "char-lr-once": alt_sequence(X_alt, labels, order, max_run, n),
                "word-nb": alt_sequence(X, labels, order, max_run, step, "nb"),
                "char-nb": alt_sequence(X_alt, labels, order, max_run, step, "nb"),
            }
            rows.append(
                {
                    "seed": run["seed"],
                    "switch_at": s1,
                    "prefix": order,
                    **{
                        f"after:{k}": "".join(str(int(labels[i])) for i in seq)
                        for k, seq in seqs.items()
                    },
                    "seconds": time.perf_counter() - t,
                }
            )
        out.append({"preset": name, "set": Path(path).stem, "alt_features_s": alt_s, "runs": rows})
    return out


def prepare(
    presets: list[str], jobs: int, sets: list[str], path: Path, small: bool = False
) -> None:
    data = json.loads(RUNS.read_text())
    old = json.loads(path.read_text()) if path.exists() else {"results": []}
    by_set: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in data["results"]:
        if r["preset"] in presets and (not sets or r["set"] in sets):
            by_set.setdefault(r["set"], {})[r["preset"]] = r["runs"]
    files = {f.stem: f for f in CORPORA.glob("*/*.csv")}
    t0 = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        # one job per (preset, set): the first preset's sets first, largest first
        todo = [
            (p, s)
            for p in presets
            for s in sorted(by_set, key=lambda s: files[s].stat().st_size * (1 if small else -1))
            if p in by_set[s]
        ]
        futs = [pool.submit(prepare_set, str(files[s]), {p: by_set[s][p]}) for p, s in todo]
        for fut in as_completed(futs):
            new = fut.result()
            done = {(r["preset"], r["set"]) for r in new}
            old["results"] = [
                r for r in old["results"] if (r["preset"], r["set"]) not in done
            ] + new
            path.write_text(json.dumps(old))
            print(f"{time.perf_counter() - t0:.0f}s", *sorted(done), flush=True)
    old.setdefault("meta", {})[f"wall_s_{'+'.join(presets)}"] = round(time.perf_counter() - t0)
    old["meta"]["load_end"] = round(os.getloadavg()[0], 1)
    path.write_text(json.dumps(old))


# a variant: (labels in order: ranker's up to the switch, then the second model's; the switch
# point; the rng) → (records screened, includes found) at the stop
Variant = Callable[[np.ndarray, int, np.random.Generator], tuple[int, int]]


def with_check(ok: Callable[[np.ndarray, int], np.ndarray]) -> Variant:
    """Phase 2 until `ok`, then the random check sized as `decay`'s (back to phase 2 on an
    include)."""
    return lambda y, s1, rng: checked_stop(y, ok(y, s1), rng, check_size)


def no_check(ok: Callable[[np.ndarray, int], np.ndarray]) -> Variant:
    def f(y: np.ndarray, s1: int, rng: np.random.Generator) -> tuple[int, int]:
        at = first_ok(ok(y, s1))
        return at, int(y[:at].sum())

    return f


SIGNALS: dict[str, Variant] = {
    "bound + check": with_check(lambda y, s1: switch_ok(y, s1)),
    "bound 50% + check": with_check(lambda y, s1: switch_ok(y, s1, level=0.5)),
    "bound 80% + check": with_check(lambda y, s1: switch_ok(y, s1, level=0.8)),
    "bound, no check": no_check(lambda y, s1: switch_ok(y, s1)),
    "run 50 (SAFE) + check": with_check(lambda y, s1: run_ok(y, s1, 50)),
    "run 100 + check": with_check(lambda y, s1: run_ok(y, s1, 100)),
    "run 5% of N (≥ 50) + check": with_check(
        lambda y, s1: run_ok(y, s1, max(50, math.ceil(0.05 * len(y))))
    ),
    "run 10% of N (≥ 50) + check": with_check(
        lambda y, s1: run_ok(y, s1, max(50, math.ceil(0.1 * len(y))))
    ),
    "run 50, no check": no_check(lambda y, s1: run_ok(y, s1, 50)),
}
VIEWS = ("char-lr", "char-nb", "word-nb", "char-lr-once")  # the second model (see --prepare)
VARIANTS = {f"{v}: {sig}": (v, f) for v in VIEWS for sig, f in SIGNALS.items()}
MAIN = "char-lr: bound + check"  # the rule as designed before any result was seen
BASELINES = ("decay (stored order)", "hypergeom (stored order)")
PER_SET = (MAIN, "char-lr: run 50 (SAFE) + check", "word-nb: bound + check", *BASELINES)


def judged_runs(preset: str, draws: int) -> dict[str, dict[str, list[dict[str, float]]]]:
    """variant → set → per-run (× draw) judgements."""
    stored = {
        (r["set"], run["seed"]): run["labels"]
        for r in json.loads(RUNS.read_text())["results"]
        if r["preset"] == preset
        for run in r["runs"]
    }
    hyper = hypergeom_rule()
    out: dict[str, dict[str, list[dict[str, float]]]] = {v: {} for v in (*VARIANTS, *BASELINES)}
    kept: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(SWITCH.parent.glob("switch_runs*.json")):  # parts prepared apart
        for r in json.loads(path.read_text())["results"]:
            kept[(r["preset"], r["set"])] = r
    for r in kept.values():
        if r["preset"] != preset:
            continue
        for run in r["runs"]:
            y0 = np.array([int(c) for c in stored[(r["set"], run["seed"])]])
            n, k = len(y0), int(y0.sum())
            s1 = run["switch_at"]
            ys = {
                v: np.concatenate([y0[:s1], np.array([int(c) for c in run.get(f"after:{v}", "")])])
                for v in VIEWS
            }
            assert all(len(y) == n and y.sum() == k for y in ys.values())
            oracle = 1 - screened_at_recall(list(y0), 0.95) / n

            def row(at: int, found: int, n: int = n, k: int = k, o: float = oracle) -> dict:
                return verdict(at, found, n, k, o, at < n)

            for draw in range(draws):
                seed = run["seed"] + 1000 * draw
                for name, (view, v) in VARIANTS.items():
                    rng = np.random.default_rng([seed, 2])
                    out[name].setdefault(r["set"], []).append(row(*v(ys[view], s1, rng)))
                rng = np.random.default_rng([seed, 2])
                at, found = checked_stop(list(y0), decay_ok(list(y0)), rng, check_size)
                out[BASELINES[0]].setdefault(r["set"], []).append(row(at, found))
                h = hyper(list(y0), seed)
                at = n if h is None else h
                out[BASELINES[1]].setdefault(r["set"], []).append(row(at, int(y0[:at].sum())))
    return out


def loo(
    judged: dict[str, dict[str, list[dict[str, float]]]], names: list[str]
) -> tuple[dict[str, str], dict[str, float]]:
    """Per held-out review, the variant whose runs under 95% recall on the other 14 have a
    Clopper-Pearson bound ≤ 5% and that saves most there (else hypergeom)."""
    sets = sorted(judged[names[0]])
    chosen, held = {}, []
    for h in sets:
        ok = []
        for name in names:
            s = summary([j for st, js in judged[name].items() if st != h for j in js])
            if s["under_hi"] <= 0.05:
                ok.append((s["saved"], name))
        chosen[h] = max(ok)[1] if ok else BASELINES[1]
        held += judged[chosen[h]][h]
    return chosen, summary(held)


def fmt(s: dict[str, float]) -> str:
    return (
        f"{s['under']}/{s['runs']} = {s['under_share']:.1%} (≤ {s['under_hi']:.1%}) | "
        f"{s['recall']:.3f} | {s['saved']:.3f} | {s['oracle']:.3f} | **{s['share_of_total']:.2f}**"
    )


def report(preset: str, draws: int) -> None:
    judged = judged_runs(preset, draws)
    sets = sorted(judged[BASELINES[0]])
    n_runs = sum(len(v) for v in judged[BASELINES[0]].values())
    lines = [
        f"# The `switch` rule on {preset}'s orders: {len(sets)} reviews, {n_runs} runs "
        f"({draws} random draw(s) per order)",
        "",
        "under: runs under 95% recall (95% Clopper-Pearson upper bound); saved: mean work saved "
        "at the stop; oracle: mean saving of stopping exactly at 95% recall; share: total saved "
        "/ total oracle saving (ratio of means).",
        "",
        "| rule | under 95% recall | recall | saved | oracle | share of oracle |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    sums = {}
    for name in judged:
        sums[name] = summary([j for js in judged[name].values() for j in js])
        lines.append(f"| {name} | {fmt(sums[name])} |")
    fams = {
        f"{MAIN} alone (fixed in advance)": [MAIN],
        "char-lr with a check (bound 50/65/80%, runs)": [
            n for n in VARIANTS if n.startswith("char-lr:") and "+ check" in n
        ],
        "switch variants with a check": [n for n in VARIANTS if "+ check" in n],
        "every switch variant": list(VARIANTS),
        "switch variants with a check + decay + hypergeom": [
            *(n for n in VARIANTS if "+ check" in n),
            *BASELINES,
        ],
    }
    held_out = {}
    lines += [
        "",
        "## Leave-one-review-out (variant chosen on the other 14: bound ≤ 5%, most saved)",
        "",
        "| family | under 95% recall | recall | saved | oracle | share of oracle |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    chosen_all = {}
    for label, names in fams.items():
        chosen, s = loo(judged, names)
        held_out[label] = {"summary": s, "chosen": chosen}
        chosen_all[label] = chosen
        lines.append(f"| {label} | {fmt(s)} |")
    first = list(fams)[2]
    lines += [
        "",
        f"Chosen per held-out review ({first}): "
        + "; ".join(f"{h}: {chosen_all[first][h]}" for h in sets)
        + ".",
        "",
        "## Per set (runs under 95% recall / runs · mean saved; oracle)",
        "",
        "| set | oracle | " + " | ".join(PER_SET) + " |",
        "|---|---:|" + "---|" * len(PER_SET),
    ]
    for h in sets:
        cells = []
        for name in PER_SET:
            a = summary(judged[name][h])
            cells.append(f"{a['under']}/{a['runs']} · {a['saved']:.3f}")
        o = summary(judged[BASELINES[0]][h])["oracle"]
        lines.append(f"| {h} | {o:.3f} | " + " | ".join(cells) + " |")
    out = ROOT / "bench" / "out" / f"stopping_switch_{preset}_d{draws}.md"
    out.write_text("\n".join(lines) + "\n")
    out.with_suffix(".json").write_text(
        json.dumps(
            {
                "preset": preset,
                "draws": draws,
                "summary": sums,
                "held_out": held_out,
                "per_set": {n: {h: summary(js) for h, js in judged[n].items()} for n in judged},
            }
        )
    )
    print("\n".join(lines))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--prepare", action="store_true")
    ap.add_argument("--presets", default="svm-phased")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--preset", default="svm-phased")
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--sets", default="", help="comma-separated sets to prepare (default: all)")
    ap.add_argument("--smallest-first", action="store_true")
    ap.add_argument("--file", default=str(SWITCH), help="where --prepare writes (switch_runs*)")
    args = ap.parse_args()
    if args.prepare:
        prepare(args.presets.split(","), args.jobs, [s for s in args.sets.split(",") if s],
                Path(args.file), args.smallest_first)  # fmt: skip
        return
    report(args.preset, args.draws)


if __name__ == "__main__":
    main()
