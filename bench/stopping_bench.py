"""Stopping rules compared on the simulated orders of bench/simulate_bench.py (15 reviews).

    python bench/stopping_bench.py [--preset svm-phased]

For every run (set × seed) kept in bench/out/simulate_runs.json, each rule is applied to the
screening order; the random sample of `hypergeom` is drawn with a seed per run. Reported per
rule, per set and overall: runs that stopped under 95% recall (with a 95% Clopper-Pearson upper
bound over all runs), work saved at the stop, and the share of the oracle's saving captured (the
oracle stops exactly when 95% recall is reached: saving 1 − screened/N there).

Rule parameters are chosen leave-one-review-out too: for each held-out review, among the rules
that kept ≤ 5% of runs under 95% recall on the other 14, the one saving the most there.
Writes bench/out/stopping_results.md.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.stats import beta

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.metrics import screened_at_recall  # noqa: E402
from screening.stopping import StoppingRule, evaluate_stopping  # noqa: E402
from screening.stopping_rules import knee_stop, rate_stop, safe_rate_stop, safe_stop  # noqa: E402

RUNS = ROOT / "bench" / "out" / "simulate_runs.json"
Rule = Callable[[list[int], int], int | None]


def hypergeom_rule(drop: float = 0.1, frac: float = 0.05) -> Rule:
    def f(y: list[int], seed: int) -> int | None:
        rule = StoppingRule("hypergeom", drop=drop, consecutive_fraction=frac)
        res = evaluate_stopping(rule, y, np.random.default_rng([seed, 1]))
        assert res is not None
        return res.screened if res.fired else None

    return f


def consecutive_rule(frac: float, minimum: int = 50) -> Rule:
    def f(y: list[int], seed: int) -> int | None:
        res = evaluate_stopping(
            StoppingRule("consecutive", consecutive=max(minimum, math.ceil(frac * len(y)))),
            y,
            np.random.default_rng(0),
        )
        assert res is not None
        return res.screened if res.fired else None

    return f


RULES: dict[str, Rule] = {
    "hypergeom (CMH 2020)": hypergeom_rule(),
    "hypergeom, run of 10%": hypergeom_rule(frac=0.10),
    "consecutive 5%": consecutive_rule(0.05),
    "consecutive 10%": consecutive_rule(0.10),
    "consecutive 15%": consecutive_rule(0.15),
    "knee (C&G 2016)": lambda y, s: knee_stop(y, 156, 150, every=max(1, len(y) // 200)),
    "knee, min 20% of N": lambda y, s: knee_stop(
        y, 156, max(150, len(y) // 5), every=max(1, len(y) // 200)
    ),
    "rate w200 95%": lambda y, s: rate_stop(y, window=200, level=0.95),
    "rate w100 80%": lambda y, s: rate_stop(y, window=100, level=0.80),
    "rate w200 80%": lambda y, s: rate_stop(y, window=200, level=0.80),
    "rate w200 50%": lambda y, s: rate_stop(y, window=200, level=0.50),
    "rate w100 50%": lambda y, s: rate_stop(y, window=100, level=0.50),
    "rate w400 50%": lambda y, s: rate_stop(y, window=400, level=0.50),
    "rate w400 80%": lambda y, s: rate_stop(y, window=400, level=0.80),
    "rate w400 95%": lambda y, s: rate_stop(y, window=400, level=0.95),
    "rate w10% 80%": lambda y, s: rate_stop(y, window=max(100, len(y) // 10), level=0.80),
    "rate w10% 50%": lambda y, s: rate_stop(y, window=max(100, len(y) // 10), level=0.50),
    "safe 10% / run 5%": lambda y, s: safe_stop(y, min_share=0.10, run_share=0.05),
    "safe 20% / run 5%": lambda y, s: safe_stop(y, min_share=0.20, run_share=0.05),
    "safe 20% / run 10%": lambda y, s: safe_stop(y, min_share=0.20, run_share=0.10),
    "safe + rate w200 80%": lambda y, s: safe_rate_stop(y, rate={"level": 0.8}),
    "safe + rate w200 50%": lambda y, s: safe_rate_stop(y, rate={"level": 0.5}),
    "safe + rate w400 50%": lambda y, s: safe_rate_stop(y, rate={"level": 0.5, "window": 400}),
}


def judge(y: list[int], stop: int | None) -> dict[str, float]:
    n, k = len(y), sum(y)
    at = n if stop is None else stop
    oracle = 1 - screened_at_recall(y, 0.95) / n
    saved = 1 - at / n
    return {
        "recall": sum(y[:at]) / k,
        "saved": saved,
        "oracle": oracle,
        "share": saved / oracle if oracle > 0 else 1.0,
        "fired": float(stop is not None),
    }


def cp_upper(k: int, n: int) -> float:
    return 1.0 if k >= n else float(beta.ppf(0.95, k + 1, n - k))


def summary(rows: list[dict[str, float]]) -> dict[str, float]:
    under = sum(r["recall"] < 0.95 for r in rows)
    return {
        "runs": len(rows),
        "under": under,
        "under_share": under / len(rows),
        "under_hi": cp_upper(under, len(rows)),
        "recall": float(np.mean([r["recall"] for r in rows])),
        "saved": float(np.mean([r["saved"] for r in rows])),
        "oracle": float(np.mean([r["oracle"] for r in rows])),
        "share": float(np.mean([r["share"] for r in rows])),
        "fired": float(np.mean([r["fired"] for r in rows])),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="svm-phased")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "stopping_results.md"))
    args = ap.parse_args()
    data = json.loads(RUNS.read_text())
    results = [r for r in data["results"] if r["preset"] == args.preset]
    sets = sorted(r["set"] for r in results)
    # rule → set → per-run judgements
    judged: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in RULES}
    for r in results:
        for run in r["runs"]:
            y = [int(c) for c in run["labels"]]
            for name, rule in RULES.items():
                j = judge(y, rule(y, run["seed"]))
                judged[name].setdefault(r["set"], []).append(j)
    n_runs = sum(len(r["runs"]) for r in results)
    lines = [
        f"# Stopping rules on {len(sets)} reviews × seeds ({n_runs} runs), preset {args.preset}",
        "",
        "Target: ≤ 5% of runs under 95% recall, and on average ≥ half of the oracle's saving. "
        "`under`: runs under 95% recall (95% upper bound); `saved`: mean work saved at the stop; "
        "`share`: mean over runs of saved / oracle's saving; `fired`: runs where the rule "
        "stopped before the end.",
        "",
        "| rule | under 95% recall | recall at stop | saved | oracle | share of oracle | fired |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    sums = {}
    for name in RULES:
        s = summary([j for js in judged[name].values() for j in js])
        sums[name] = s
        lines.append(
            f"| {name} | {s['under']}/{s['runs']} = {s['under_share']:.1%} (≤ {s['under_hi']:.1%})"
            f" | {s['recall']:.3f} | {s['saved']:.3f} | {s['oracle']:.3f} | {s['share']:.2f} | "
            f"{s['fired']:.0%} |"
        )
    # leave-one-review-out choice of rule
    chosen: dict[str, str] = {}
    held: list[dict[str, float]] = []
    for h in sets:
        ok = []
        for name in RULES:
            rest = [j for st, js in judged[name].items() if st != h for j in js]
            if not rest:
                continue
            s = summary(rest)
            if s["under_share"] <= 0.05:
                ok.append((s["saved"], name))
        best = max(ok)[1] if ok else "hypergeom (CMH 2020)"
        chosen[h] = best
        held += judged[best][h]
    s = summary(held)
    lines += [
        "",
        "## Leave-one-review-out choice of rule (≤ 5% under on the other 14, most saved)",
        "",
        f"Held-out: {s['under']}/{s['runs']} = {s['under_share']:.1%} of runs under 95% recall "
        f"(≤ {s['under_hi']:.1%}), recall {s['recall']:.3f}, saved {s['saved']:.3f} of an "
        f"oracle's {s['oracle']:.3f}, share {s['share']:.2f}.",
        "",
        "## Per set",
        "",
        "| set | N | includes | oracle | LOO choice | LOO: under / saved / share | "
        "CMH: under / saved / share |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for r in sorted(results, key=lambda r: r["set"]):
        h = r["set"]
        y0 = r["runs"][0]["labels"]
        a = summary(judged[chosen[h]][h])
        c = summary(judged["hypergeom (CMH 2020)"][h])
        lines.append(
            f"| {h} | {len(y0)} | {y0.count('1')} | {a['oracle']:.3f} | {chosen[h]} | "
            f"{a['under']}/{a['runs']} / {a['saved']:.3f} / {a['share']:.2f} | "
            f"{c['under']}/{c['runs']} / {c['saved']:.3f} / {c['share']:.2f} |"
        )
    lines += ["", "Per set, every rule (under / saved):", ""]
    lines += ["| set | " + " | ".join(RULES) + " |", "|---|" + "---|" * len(RULES)]
    for h in sets:
        cells = []
        for name in RULES:
            a = summary(judged[name][h])
            cells.append(f"{a['under']}/{a['runs']} / {a['saved']:.2f}")
        lines.append(f"| {h} | " + " | ".join(cells) + " |")
    Path(args.out).write_text("\n".join(lines) + "\n")
    Path(args.out).with_suffix(".json").write_text(json.dumps({"summary": sums, "chosen": chosen}))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
