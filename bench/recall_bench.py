"""How honest is the recall shown to a reviewer? Simulated on the labelled SYNERGY sets.

    python bench/recall_bench.py [--seeds 5]

For each set and seed, screens to the end with the default preset (as `litsift simulate`),
then replays the order through `screening.recall.advise` — the function behind the app's
stopping line and `litsift stopping`:

- ranking phase: at every 2.5% of the records, is the shown lower bound ("recall ≳ N%") at
  or below the true recall? (coverage; it is a conditional bound, so this checks the
  condition "the rest is no richer than the last 200" on real rankings);
- random check: from where the run of excludes fires, the remaining records are drawn at
  random (seeded) and advised after each draw until "safe to stop": the true recall there,
  the work saved, and whether the interval shown during the check covered the truth.

Writes bench/out/recall_results.md (and .json).
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
from screening.presets import get_preset  # noqa: E402
from screening.recall import advise  # noqa: E402
from screening.simulate import featurize, simulate  # noqa: E402
from screening.stopping import StoppingRule, switch_point  # noqa: E402

SYNERGY = ROOT.parent / "shared" / "corpora" / "synergy"


def replay(labels: list[int], seed: int, rule: StoppingRule) -> dict[str, Any]:
    """Replay one screening order through the live advice."""
    n, k_total = len(labels), sum(labels)
    step = max(1, n // 40)
    bounds = []  # (true recall, shown lower bound) in the ranking phase
    switch = switch_point(labels, rule.run_length(n), rule.drop) or n
    for k in range(step, switch + 1, step):
        a = advise(labels[:k], n, rule)
        if a.recall_low is not None:
            bounds.append((sum(labels[:k]) / k_total, a.recall_low))
    out: dict[str, Any] = {
        "checkpoints": len(bounds),
        "bound_covered": sum(t >= lo - 1e-12 for t, lo in bounds),
        "bound_gap": float(np.mean([t - lo for t, lo in bounds])) if bounds else None,
        "switch": switch,
    }
    if switch >= n:
        return {**out, "stopped": False, "recall": 1.0, "work_saved": 0.0}
    ranked = labels[:switch]
    pool = labels[switch:]
    draw = [pool[i] for i in np.random.default_rng([seed, 2]).permutation(len(pool))]
    covered = intervals = 0
    for m in range(1, len(draw) + 1):
        a = advise(ranked, n, rule, sample_labels=draw[:m], pool=len(pool))
        true = (sum(ranked) + sum(draw[:m])) / k_total
        if a.recall_low is not None and a.recall_high is not None:
            intervals += 1
            covered += a.recall_low - 1e-9 <= true <= a.recall_high + 1e-9
        if a.phase in ("safe", "done"):
            return {
                **out,
                "stopped": a.phase == "safe",
                "recall": true,
                "work_saved": 1 - (switch + m) / n,
                "interval_covered": covered,
                "intervals": intervals,
            }
    return {**out, "stopped": False, "recall": 1.0, "work_saved": 0.0}


def run_set(path: str, seeds: int) -> dict[str, Any]:
    preset = get_preset(None)
    data = read_labelled_csv(Path(path))
    X = featurize(preset, data.titles, data.abstracts)
    rule = StoppingRule()
    runs = []
    for s in range(seeds):
        res = simulate(X, data.labels, preset, seed=s)
        runs.append({"seed": s, **replay(res.labels_in_order, s, rule)})
    return {
        "dataset": Path(path).stem,
        "n": len(data.labels),
        "k": int(sum(data.labels)),
        "runs": runs,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    files = sorted(SYNERGY.glob("*.csv"))
    if not files:
        sys.exit(f"no labelled CSVs in {SYNERGY}")
    t = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        sets = list(pool.map(run_set, map(str, files), [args.seeds] * len(files)))
    rows = []
    for st in sets:
        runs = st["runs"]
        cps = sum(r["checkpoints"] for r in runs)
        cov = sum(r["bound_covered"] for r in runs)
        gaps = [r["bound_gap"] for r in runs if r["bound_gap"] is not None]
        ivs = sum(r.get("intervals", 0) for r in runs)
        ivc = sum(r.get("interval_covered", 0) for r in runs)
        rows.append(
            {
                "dataset": st["dataset"],
                "n": st["n"],
                "k": st["k"],
                "bound coverage": f"{cov}/{cps}",
                "mean gap": round(float(np.mean(gaps)), 3) if gaps else None,
                "stops ≥ 95% recall": f"{sum(r['recall'] >= 0.95 for r in runs)}/{len(runs)}",
                "recall at stop": round(float(np.mean([r["recall"] for r in runs])), 3),
                "work saved": round(float(np.mean([r["work_saved"] for r in runs])), 3),
                "interval coverage": f"{ivc}/{ivs}",
            }
        )
    args.out.mkdir(parents=True, exist_ok=True)
    meta = {
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "seeds": args.seeds,
        "seconds": round(time.perf_counter() - t, 1),
    }
    (args.out / "recall_results.json").write_text(json.dumps({**meta, "sets": sets}, indent=1))
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    (args.out / "recall_results.md").write_text("\n".join(lines) + "\n")
    print(json.dumps(meta))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
