"""What a stopping rule with an assumption-free guarantee can save, at best, on stored orders.

    python bench/stopping_bound.py [--runs bench/out/simulate_runs.json --preset svm-phased]
    python bench/stopping_bound.py --asreview bench/out/asreview_runs.json

A rule whose guarantee rests on nothing but a uniform random sample of the unscreened records
(the hypergeometric test of Callaghan & Müller-Hansen 2020, `hypergeom`) must, having found F
includes, show with 95% confidence that fewer than m = ⌊F/19⌋ + 1 includes remain among the U
unscreened records (m is the number of missed includes that would put recall under 95%). With no
include in a sample of n, that needs C(U − m, n) / C(U, n) ≤ 0.05, i.e. n ≈ U·(1 − 0.05^(1/m)):
with fewer than 19 includes found (m = 1), 95% of the rest.

This script gives every order the most favourable timing: the random check starts right after the
last include has been ranked (so the check cannot find one and stops as soon as the test allows).
The saving there is compared with the oracle's (stopping exactly at 95% recall). No real rule
knows that moment, so this is an upper bound on what `hypergeom`-like rules can reach on these
orders, whatever the ranker.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import hypergeom

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def min_sample(unscreened: int, missing: int, alpha: float = 0.05) -> int:
    """The smallest random sample with no include that rejects 'at least `missing` includes
    remain among `unscreened` records' at level `alpha`."""
    lo, hi = 0, unscreened
    while lo < hi:
        mid = (lo + hi) // 2
        if hypergeom.pmf(0, unscreened, missing, mid) <= alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo


def bound(labels: list[int], target: float = 0.95) -> tuple[float, float]:
    """(oracle's saving, saving of a check started right after the last include) for one order."""
    y = np.asarray(labels)
    n = len(y)
    found_at = np.flatnonzero(y) + 1
    k = len(found_at)
    at_target = found_at[int(np.ceil(target * k)) - 1]
    oracle = (n - at_target) / n
    last = int(found_at[-1])
    rest = n - last
    missing = int(np.floor(k * (1 - target) / target)) + 1
    if rest == 0 or missing > rest:
        return oracle, rest / n if missing > rest else 0.0
    return oracle, (rest - min_sample(rest, missing)) / n


def orders(args: argparse.Namespace) -> dict[str, list[list[int]]]:
    """set → the stored orders (0/1 in screening order)."""
    out: dict[str, list[list[int]]] = {}
    if args.asreview:
        for r in json.loads(Path(args.asreview).read_text())["runs"]:
            out.setdefault(r["set"], []).append([int(c) for c in r["labels"]])
        return out
    for r in json.loads(Path(args.runs).read_text())["results"]:
        if r["preset"] == args.preset:
            for run in r["runs"]:
                out.setdefault(r["set"], []).append([int(c) for c in run["labels"]])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", default=str(ROOT / "bench" / "out" / "simulate_runs.json"))
    ap.add_argument("--preset", default="svm-phased")
    ap.add_argument("--asreview", default="", help="ASReview's runs (bench/asreview_runs.py)")
    args = ap.parse_args()
    by_set = orders(args)
    if not by_set:
        sys.exit("no stored orders for that preset")
    print("| review | runs | includes | oracle's saving | check after the last include | share |")
    print("|---|---:|---:|---:|---:|---:|")
    tot_o = tot_b = 0.0
    for name, runs in sorted(by_set.items()):
        pairs = np.array([bound(y) for y in runs])
        o, b = pairs.mean(axis=0)
        tot_o, tot_b = tot_o + pairs[:, 0].sum(), tot_b + pairs[:, 1].sum()
        k = sum(runs[0])
        print(f"| {name} | {len(runs)} | {k} | {o:.3f} | {b:.3f} | {b / o if o else 0:.2f} |")
    print(f"\nShare of the oracle's saving (ratio of means): {tot_b / tot_o:.2f}")


if __name__ == "__main__":
    main()
