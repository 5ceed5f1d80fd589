"""How long `prisma_counts` takes on a large review (the home screen recounts on refresh).

    python bench/prisma_bench.py [--records 100000] [--decisions 1000]

Builds a SQLite review of synthetic RIS records, records decisions on the first ones, and
times three counts (the PRISMA counts read every record once).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from review import service
from review.prisma import prisma_counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--decisions", type=int, default=1000)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="litsift-prisma-bench-"))
    ris = folder / "big.ris"
    with ris.open("w", encoding="utf-8") as f:
        for i in range(args.records):
            f.write(f"TY  - JOUR\nID  - k{i}\nTI  - Record {i} on topic {i % 977}\nER  - \n\n")
    store = service.open_review(str(folder / "review.db"))
    t0 = time.perf_counter()
    service.import_files(store, [ris])
    print(f"import {args.records} records: {time.perf_counter() - t0:.1f} s")
    for rid in range(1, args.decisions + 1):
        label = "include" if rid % 10 == 0 else "exclude"
        service.record_decision(store, rid, label, reviewer="ana")
    for _ in range(3):
        t0 = time.perf_counter()
        prisma_counts(store)
        print(f"prisma_counts: {time.perf_counter() - t0:.2f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")


if __name__ == "__main__":
    main()
