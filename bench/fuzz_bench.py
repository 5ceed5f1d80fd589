"""Larger run of the reader fuzz (tests/readers/test_fuzz.py): N mutated real export files.

    nice -n 10 python bench/fuzz_bench.py [--examples 3000]

Every mutated file must import with counts that add up (imported + quarantined = entries, in
the report and in the database) or be refused with a LitsiftError. Prints the examples run, the
time and pytest's verdict; hypothesis explores new examples on each run (no fixed seed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--examples", type=int, default=3000)
    args = ap.parse_args()
    env = {**os.environ, "LITSIFT_FUZZ_EXAMPLES": str(args.examples), "PYTHONPATH": str(ROOT)}
    env.pop("CI", None)  # the CI profile derandomizes: a bench run should explore
    env.setdefault("LITSIFT_SHARED", str(ROOT.parent / "shared"))
    cmd = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"]
    cmd += ["tests/readers/test_fuzz.py", "--hypothesis-show-statistics"]
    t0 = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env)
    print(f"{args.examples} examples in {time.perf_counter() - t0:.0f} s: exit {result.returncode}")
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main())
