"""ASReview LAB's own screening orders on the 15 reviews, seed by seed, for paired comparisons.

    python bench/asreview_runs.py --asreview /tmp/asr/bin/asreview [--seeds 5] [--jobs 2]

ASReview is not a dependency of litsift: install it in a separate virtualenv
(`python -m venv /tmp/asr && /tmp/asr/bin/pip install asreview==3.0.8`) and pass its command.
Each run is the anchors' command (../shared/corpora/ANCHORS.md):
`asreview simulate DATA.csv --ai elas_u4 --n-prior-included 1 --n-prior-excluded 1
--prior-seed S --seed S --n-stop -1 -o RUN.asreview`; the order (row numbers and labels, priors
first) is read from the project's `results` table and kept in bench/out/asreview_runs.json.
`bench/simulate_bench.py` draws its priors the same way (`screening.simulate.pick_priors`), so
seed S of a preset and seed S of ASReview start from the same two records: the report then
pairs them seed by seed, and on the Cohen sets it covers seeds 3-4 that the anchors do not.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.simulate_bench import data_files  # noqa: E402

OUT = ROOT / "bench" / "out" / "asreview_runs.json"


def read_order(project: Path) -> list[tuple[int, int]]:
    """(row, label) in the order ASReview screened them, from an exported .asreview project."""
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(project) as z:
            z.extract("results.db", tmp)
        con = sqlite3.connect(Path(tmp) / "results.db")
        try:
            rows = con.execute("SELECT record_id, label FROM results ORDER BY rowid").fetchall()
        finally:
            con.close()
    return [(int(r), int(y)) for r, y in rows]


def run_one(asreview: str, csv: str, seed: int) -> dict[str, Any]:
    """One `asreview simulate` run of a set and seed: its order."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.asreview"
        cmd = [asreview, "simulate", csv, "--ai", "elas_u4", "--n-prior-included", "1"]
        cmd += ["--n-prior-excluded", "1", "--prior-seed", str(seed), "--seed", str(seed)]
        cmd += ["--n-stop", "-1", "-o", str(out)]
        subprocess.run(cmd, cwd=tmp, check=True, capture_output=True)
        order = read_order(out)
    return {
        "set": Path(csv).stem,
        "seed": seed,
        "rows": [r for r, _ in order],
        "labels": "".join(str(y) for _, y in order),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--asreview", required=True, help="the asreview command of its own venv")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--sets", default="", help="comma-separated set names (default: all 15)")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    files = [f for f in data_files() if not args.sets or f.stem in args.sets.split(",")]
    out = Path(args.out)
    kept: list[dict[str, Any]] = json.loads(out.read_text())["runs"] if out.exists() else []
    with ProcessPoolExecutor(args.jobs) as pool:
        jobs = [(str(f), s) for s in range(args.seeds) for f in files]
        futs = [pool.submit(run_one, args.asreview, f, s) for f, s in jobs]
        for fut in futs:
            run = fut.result()
            kept = [r for r in kept if (r["set"], r["seed"]) != (run["set"], run["seed"])]
            kept.append(run)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"tool": "asreview 3.0.8, elas_u4", "runs": kept}))
            print(run["set"], run["seed"], flush=True)


if __name__ == "__main__":
    main()
