"""Crash benchmark: many kill -9 runs during import, dedup, copy and decide.

    nice -n 10 python bench/crash_bench.py [--runs 10] [--records 2000] [--seed 1]

Each run copies a prepared review, starts the operation in a child process, kills it with
SIGKILL at a random moment and checks the review opens as before or as after (tests/crash.py).
Prints how many runs of each operation ended before, after, or finished before the kill.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.crash import crash_runs, describe  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="litsift-crash-") as work:
        outcomes = crash_runs(Path(work), args.runs, args.seed, n=args.records)
    print(describe(outcomes))
    print(
        f"{args.runs} runs per operation, {args.records} records, seed {args.seed}: "
        f"all consistent ({time.perf_counter() - t0:.0f} s)"
    )


if __name__ == "__main__":
    main()
