"""Stopping rules compared on the simulated orders of bench/simulate_bench.py (15 reviews).

    python bench/stopping_bench.py [--preset svm-phased | elas-u4,elas-svmnb | all]

For every run (set × seed) kept in bench/out/simulate_runs.json, each rule is applied to the
screening order; the random sample of `hypergeom` is drawn with a seed per run. Reported per
rule, per set and overall: runs that stopped under 95% recall (with a 95% Clopper-Pearson upper
bound over all runs), work saved at the stop, and the share of the oracle's saving captured (the
oracle stops exactly when 95% recall is reached: saving 1 − screened/N there).

Rule parameters are chosen leave-one-review-out too: for each held-out review, among the rules
that kept ≤ 5% of runs under 95% recall on the other 14, the one saving the most there.
`--preset` takes several presets (comma-separated) or `all`: their orders are pooled, a held-out
review then holds out that review's orders from every ranker, so a rule is judged on rankers it
was not tuned on as well.
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
from screening.stopping_decay import check_size, checked_stop, decay_ok  # noqa: E402
from screening.stopping_rules import (  # noqa: E402
    checked_rate_stop,
    knee_stop,
    rate_stop,
    safe_rate_stop,
    safe_stop,
    target_stop,
)

RUNS = ROOT / "bench" / "out" / "simulate_runs.json"
# a rule gives the records screened at its stop (None: never stops), or (records screened,
# includes found) when it screens records outside the ranking (a random sample or check)
Rule = Callable[[list[int], int], int | tuple[int, int] | None]


def checked(check_min: int, check_share: float, **rate: float) -> Rule:
    def f(y: list[int], seed: int) -> tuple[int, int]:
        rng = np.random.default_rng([seed, 2])
        return checked_rate_stop(y, rng, check_min=check_min, check_share=check_share, **rate)

    return f


def decay(share: float, level: float, check: tuple[int, float] | None = None) -> Rule:
    """The decay bound then a random check: sized from the rate so far (`check` None, the
    rule `decay` of screening/stopping_decay.py at its defaults for 1/3, 0.65) or of
    max(check[0], check[1] × unscreened) records."""

    def f(y: list[int], seed: int) -> tuple[int, int]:
        ok = decay_ok(y, share=share, level=level)
        rng = np.random.default_rng([seed, 2])
        if check is None:
            return checked_stop(y, ok, rng, lambda fd, sc, u: check_size(fd, sc, u))
        cm, cs = check
        return checked_stop(y, ok, rng, lambda fd, sc, u: max(cm, math.ceil(cs * u)))

    return f


def after_run(ok: np.ndarray, y: np.ndarray, run: Callable[[int], int]) -> np.ndarray:
    """`ok`, delayed: it holds after s records once `ok` held after some s0 ≤ s − run(s0) and
    no include came in records s0+1..s (an include starts over: `ok` must hold again)."""
    out = np.zeros(len(y), dtype=bool)
    since: int | None = None  # records screened when `ok` first held since the last include
    for i in range(len(y)):
        if y[i]:
            since = None
        if since is not None and i + 1 - since >= run(since):
            out[i] = True
        if ok[i] and since is None:
            since = i + 1
    return out


def decay_run(share: float, level: float, run: Callable[[int], int]) -> Rule:
    """The decay bound, then a run of excludes in the ranking (`run(s)` records after the bound
    first held at s), then the sized random check: a ranked look past a lull before stopping."""

    def f(y: list[int], seed: int) -> tuple[int, int]:
        a = np.asarray(y, dtype=np.int64)
        ok = after_run(decay_ok(a, share=share, level=level), a, run)
        rng = np.random.default_rng([seed, 2])
        return checked_stop(a, ok, rng, lambda fd, sc, u: check_size(fd, sc, u))

    return f


def decay_bound(share: float, level: float) -> Rule:
    def f(y: list[int], seed: int) -> int | None:
        hit = np.flatnonzero(decay_ok(y, share=share, level=level))
        return int(hit[0]) + 1 if len(hit) else None

    return f


def target(size: int) -> Rule:
    return lambda y, seed: target_stop(y, np.random.default_rng([seed, 3]), size)


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
    "target T=59 (C&G 2016)": target(59),
    "target T=10 (70% design)": target(10),
    "rate w200 80% + check 30/5%": checked(30, 0.05, window=200, level=0.80),
    "rate w200 50% + check 30/5%": checked(30, 0.05, window=200, level=0.50),
    "rate w100 50% + check 30/5%": checked(30, 0.05, window=100, level=0.50),
    "rate w100 50% + check 20/2%": checked(20, 0.02, window=100, level=0.50),
    "rate w100 50% + check 50/10%": checked(50, 0.10, window=100, level=0.50),
    "rate w100 80% + check 30/5%": checked(30, 0.05, window=100, level=0.80),
    "rate w200 50% + check 20/3%": checked(20, 0.03, window=200, level=0.50),
    "rate w10% 80% + check 30/5%": lambda y, s: checked(
        30, 0.05, window=max(100, len(y) // 10), level=0.80
    )(y, s),
    "rate w10% 50% + check 30/5%": lambda y, s: checked(
        30, 0.05, window=max(100, len(y) // 10), level=0.50
    )(y, s),
    "decay 1/3 65% (bound only)": decay_bound(1 / 3, 0.65),
    "decay 1/3 50% (bound only)": decay_bound(1 / 3, 0.50),
    "decay 1/3 65% + check 20/5%": decay(1 / 3, 0.65, (20, 0.05)),
    "decay 1/3 65% + check 30/5%": decay(1 / 3, 0.65, (30, 0.05)),
    **{
        f"decay {name} {level:.0%} + check": decay(share, level)
        for name, share in (("1/4", 0.25), ("1/3", 1 / 3), ("1/2", 0.5))
        for level in (0.5, 0.65, 0.8)
    },
    **{
        f"decay 1/3 {level:.0%} + run {name} + check": decay_run(1 / 3, level, run)
        for level in (0.5, 0.65)
        for name, run in (
            ("20", lambda s: 20),
            ("30", lambda s: 30),
            ("50", lambda s: 50),
            ("5% of s (≥ 20)", lambda s: max(20, math.ceil(0.05 * s))),
            ("10% of s (≥ 20)", lambda s: max(20, math.ceil(0.10 * s))),
        )
    },
}


DECAY = "decay 1/3 65% + check"  # the live rule `decay` at its defaults


def judge(y: list[int], stop: int | tuple[int, int] | None) -> dict[str, float]:
    n, k = len(y), sum(y)
    if isinstance(stop, tuple):
        at, found = stop
        fired = at < n
    else:
        at = n if stop is None else stop
        found, fired = sum(y[:at]), stop is not None
    return verdict(at, found, n, k, 1 - screened_at_recall(y, 0.95) / n, fired)


def verdict(at: int, found: int, n: int, k: int, oracle: float, fired: bool) -> dict[str, float]:
    """One run judged: recall at the stop, work saved, the oracle's saving and the share."""
    saved = 1 - at / n
    return {
        "recall": found / k,
        "saved": saved,
        "oracle": oracle,
        "share": saved / oracle if oracle > 0 else 1.0,
        "fired": float(fired),
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
        # ratio of means: the work saved over all runs / what the oracle saves (the headline:
        # the mean of ratios is inflated by runs whose oracle saves almost nothing)
        "share_of_total": float(np.sum([r["saved"] for r in rows]))
        / max(float(np.sum([r["oracle"] for r in rows])), 1e-9),
        "fired": float(np.mean([r["fired"] for r in rows])),
    }


def under_and(s: dict[str, float], key: str) -> str:
    """A table cell: runs under 95% recall / runs / one more figure of the summary."""
    return f"{s['under']}/{s['runs']} / {s[key]:.2f}"


def grid(
    corner: str, rows: list[str], cols: list[str], cell: Callable[[str, str], str]
) -> list[str]:
    """A markdown table: one line per row label, one column per column label."""
    out = [f"| {corner} | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    return out + [f"| {r} | " + " | ".join(cell(r, c) for c in cols) + " |" for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--preset",
        default="svm-phased",
        help="preset whose orders are judged; several comma-separated, or `all`, pool them",
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "stopping_results.md"))
    ap.add_argument("--runs", default=str(RUNS), help="orders written by bench/simulate_bench.py")
    ap.add_argument(
        "--draws",
        type=int,
        default=1,
        help="random draws (samples, checks) per order: each is judged as one run",
    )
    args = ap.parse_args()
    data = json.loads(Path(args.runs).read_text())
    wanted = set(args.preset.split(","))
    results = [r for r in data["results"] if args.preset == "all" or r["preset"] in wanted]
    if not results:
        sys.exit(f"no stored orders for preset(s) {args.preset!r} in {args.runs}")
    presets = sorted({r["preset"] for r in results})
    sets = sorted({r["set"] for r in results})
    # rule → set → per-run judgements
    judged: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in RULES}
    by_preset: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in RULES}
    for r in results:
        for run in r["runs"]:
            y = [int(c) for c in run["labels"]]
            for name, rule in RULES.items():
                for draw in range(args.draws):  # draw 0 keeps the seeds of earlier results
                    j = judge(y, rule(y, run["seed"] + 1000 * draw))
                    judged[name].setdefault(r["set"], []).append(j)
                    by_preset[name].setdefault(r["preset"], []).append(j)
    n_runs = sum(len(r["runs"]) for r in results) * args.draws
    lines = [
        f"# Stopping rules on {len(sets)} reviews × seeds ({n_runs} runs, {args.draws} random "
        f"draw(s) per order), preset(s) {', '.join(presets)}",
        "",
        "Target: ≤ 5% of runs under 95% recall, and on average ≥ half of the oracle's saving. "
        "`under`: runs under 95% recall (95% upper bound); `saved`: mean work saved at the stop; "
        "`share`: mean over runs of saved / oracle's saving; `of total`: total saved / total "
        "oracle saving (ratio of means, the headline); `fired`: runs where the rule "
        "stopped before the end.",
        "",
        "| rule | under 95% recall | recall at stop | saved | oracle | share (mean of ratios) | "
        "of total (ratio of means) | fired |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sums = {}
    for name in RULES:
        s = summary([j for js in judged[name].values() for j in js])
        sums[name] = s
        lines.append(
            f"| {name} | {s['under']}/{s['runs']} = {s['under_share']:.1%} (≤ {s['under_hi']:.1%})"
            f" | {s['recall']:.3f} | {s['saved']:.3f} | {s['oracle']:.3f} | {s['share']:.2f} | "
            f"{s['share_of_total']:.2f} | {s['fired']:.0%} |"
        )

    # leave-one-review-out choice of rule: among all rules, and among the rules that end in a
    # random sample (hypergeom, target, rate + check), the only ones whose guarantee does not
    # rest on the ranking
    def loo_choice(names: list[str]) -> tuple[dict[str, str], dict[str, float]]:
        chosen: dict[str, str] = {}
        held: list[dict[str, float]] = []
        for h in sets:
            ok = []
            for name in names:
                rest = [j for st, js in judged[name].items() if st != h for j in js]
                s = summary(rest)
                if s["under_hi"] <= 0.05:  # ≤ 5% at 95% confidence (Clopper-Pearson bound)
                    ok.append((s["saved"], name))
            best = max(ok)[1] if ok else "hypergeom (CMH 2020)"
            chosen[h] = best
            held += judged[best][h]
        return chosen, summary(held)

    sampled = [n for n in RULES if n.startswith(("hypergeom", "target")) or "check" in n]
    decays = [n for n in RULES if n.startswith("decay") and "check" in n]
    chosen, s = loo_choice(list(RULES))
    chosen_s, s2 = loo_choice(sampled)
    chosen_d, s3 = loo_choice(decays)

    def held_line(label: str, s: dict[str, float]) -> str:
        return (
            f"{label}: {s['under']}/{s['runs']} = {s['under_share']:.1%} of runs under 95% "
            f"recall (≤ {s['under_hi']:.1%}), recall {s['recall']:.3f}, saved {s['saved']:.3f} "
            f"of an oracle's {s['oracle']:.3f}, share {s['share']:.2f} (mean of ratios), "
            f"{s['share_of_total']:.2f} (ratio of means)."
        )

    lines += [
        "",
        "## Leave-one-review-out choice of rule (≤ 5% under at 95% confidence on the other 14, "
        "most saved)",
        "",
        held_line("Held-out, any rule", s),
        "",
        held_line("Held-out, rules ending in a random sample", s2),
        "",
        held_line("Held-out, decay rules (bound + random check) only", s3),
        "",
        "Chosen per held-out set among the decay rules: "
        + "; ".join(f"{h}: {chosen_d[h]}" for h in sets)
        + ".",
        "",
        "Chosen per held-out set (any rule / random-sample rules): "
        + "; ".join(f"{h}: {chosen[h]} / {chosen_s[h]}" for h in sets)
        + ".",
        "",
        "## Per set",
        "",
        "| set | N | includes | oracle | LOO choice | LOO: under / saved / share | "
        "CMH: under / saved / share | decay (1/3, 65%, check): under / saved / share |",
        "|---|---:|---:|---:|---|---|---|---|",
    ]
    first = {r["set"]: r for r in reversed(results)}  # one stored result per set, for N, k
    for h in sets:
        r = first[h]
        y0 = r["runs"][0]["labels"]
        a = summary(judged[chosen[h]][h])
        c = summary(judged["hypergeom (CMH 2020)"][h])
        d = summary(judged[DECAY][h])
        lines.append(
            f"| {h} | {len(y0)} | {y0.count('1')} | {a['oracle']:.3f} | {chosen[h]} | "
            f"{a['under']}/{a['runs']} / {a['saved']:.3f} / {a['share']:.2f} | "
            f"{c['under']}/{c['runs']} / {c['saved']:.3f} / {c['share']:.2f} | "
            f"{d['under']}/{d['runs']} / {d['saved']:.3f} / {d['share']:.2f} |"
        )
    if len(presets) > 1:
        lines += ["", "Per ranker, every rule (under / ratio of means):", ""]
        lines += grid(
            "rule",
            list(RULES),
            presets,
            lambda name, p: under_and(summary(by_preset[name][p]), "share_of_total"),
        )
    lines += ["", "Per set, every rule (under / saved):", ""]
    lines += grid(
        "set", sets, list(RULES), lambda h, name: under_and(summary(judged[name][h]), "saved")
    )
    Path(args.out).write_text("\n".join(lines) + "\n")
    Path(args.out).with_suffix(".json").write_text(
        json.dumps(
            {
                "summary": sums,
                "chosen": chosen,
                "chosen_random_sample": chosen_s,
                "chosen_decay": chosen_d,
                "held_out": {"any": s, "random_sample": s2, "decay": s3},
                "draws": args.draws,
                "per_set": {
                    name: {h: summary(js) for h, js in judged[name].items()} for name in RULES
                },
            }
        )
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
