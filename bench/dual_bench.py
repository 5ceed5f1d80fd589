"""Dual screening at scale: how long the per-decision queries take.

    python bench/dual_bench.py [--sizes 20000 50000]

For each size, builds a review of that many records (RIS from the SYNERGY CSVs) in dual mode,
with two reviewers' decisions on half of them (5% disagreeing) and a third reviewer's on a
tenth, then times (median of 5 runs) what runs after each decision in dual screening
(`owed_ids` and `next_record` in import order) and the lead's and home's queries
(`final_labels`, `list_conflicts`, `agreement`, `screened_rows` for `litsift records`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import import_bench  # noqa: E402
from import_bench import build_ris, machine  # noqa: E402

if "LITSIFT_SHARED" in os.environ:  # a worktree's ../shared may not be the shared folder
    import_bench.SYNERGY = Path(os.environ["LITSIFT_SHARED"]) / "corpora" / "synergy"

from review import service, settings  # noqa: E402
from review.agreement import agreement  # noqa: E402
from review.blinding import screened_rows  # noqa: E402
from review.conflicts import list_conflicts  # noqa: E402
from review.consensus import final_labels  # noqa: E402
from review.models import Decision, utcnow  # noqa: E402
from review.owed import owed_ids  # noqa: E402
from screening.service import next_record  # noqa: E402


def timed(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench(n: int, folder: Path) -> dict[str, Any]:
    ris = folder / f"dual-{n}.ris"
    build_ris(ris, n)
    store = service.open_review(str(folder / f"dual-{n}.db"))
    service.import_files(store, [ris])
    settings.set_protocol_value(store, "screening_mode", "dual")
    rows = []
    now = utcnow()
    for rid in range(1, n // 2 + 1):
        a = "include" if rid % 7 == 0 else "exclude"
        b = a if rid % 20 else ("exclude" if a == "include" else "include")
        rows += [
            {"record_id": rid, "stage": "title-abstract", "reviewer": "ana", "label": a},
            {"record_id": rid, "stage": "title-abstract", "reviewer": "bob", "label": b},
        ]
    for rid in range(n // 2 + 1, n // 2 + n // 10 + 1):
        rows.append(
            {"record_id": rid, "stage": "title-abstract", "reviewer": "carl", "label": "exclude"}
        )
    with store.begin() as conn:
        conn.execute(
            Decision.__table__.insert(),  # type: ignore[attr-defined]
            [{**r, "reason": "", "note": "", "model_version": "", "created_at": now} for r in rows],
        )
    out: dict[str, Any] = {"records": n, "decisions": len(rows)}
    out["owed_ids_ms"] = timed(lambda: owed_ids(store, stage="title-abstract", reviewer="carl"))
    out["next_record_ms"] = timed(lambda: next_record(store, reviewer="carl"))
    out["final_labels_ms"] = timed(lambda: final_labels(store, "title-abstract"))
    out["list_conflicts_ms"] = timed(lambda: list_conflicts(store))
    out["agreement_ms"] = timed(lambda: agreement(store))
    out["records_listing_ms"] = timed(lambda: screened_rows(store, viewer="carl"))
    out["conflicts"] = len(list_conflicts(store))
    store.dispose()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--sizes", type=int, nargs="+", default=[20000, 50000])
    args = p.parse_args()
    print(json.dumps({"machine": machine()}))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            print(json.dumps(bench(n, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
