"""Screening latency: from a key press to the next record shown, in the headless app.

    python bench/tui_bench.py [--sizes 1000 50000] [--decisions 200]

For each size, builds a review of that many records (RIS from the SYNERGY CSVs), opens the
app headless at 120x40, waits until the ranking model is built (reported as ranker_ready_s),
then presses `e`/`i` 200 times, the model retraining in the background; then opens the app
again and reports how soon the ranker is ready with the tokens kept in the review
(ranker_ready_reopen_s). Two measures,
p50/p95/max in ms:
- key_to_record: measured inside the app, from the key's action until the next record's
  widgets are updated (the decision committed and the next record fetched in between);
- pilot_round_trip: what the test harness sees, including Pilot's own waits for the screen
  to settle (an upper bound; a terminal repaints on its next frame).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_bench import build_ris, machine  # noqa: E402

from review import service  # noqa: E402
from review.db import Store  # noqa: E402
from review.importing import import_file  # noqa: E402
from tui.app import LitsiftApp  # noqa: E402
from tui.screens.screening import ScreeningScreen  # noqa: E402


async def measure(store: Store, decisions: int) -> tuple[list[float], list[float], float]:
    """(in-app latencies, Pilot round trips) in ms, and seconds until the ranker was ready."""
    app = LitsiftApp(store, "bench")
    round_trips: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        screen = app.screen
        assert isinstance(screen, ScreeningScreen)
        while screen.ranker is None:  # measure ranked screening, not the import-order start
            await pilot.pause(0.2)
            assert time.perf_counter() - t0 < 900, "ranker not ready in 15 minutes"
        ready = time.perf_counter() - t0
        await app.workers.wait_for_complete()
        await pilot.pause()
        for i in range(decisions):
            t = time.perf_counter()
            await pilot.press("i" if i % 10 == 0 else "e")
            await app.workers.wait_for_complete()
            await pilot.pause()
            round_trips.append((time.perf_counter() - t) * 1000)
        return screen.latencies_ms, round_trips, ready


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 50000])
    ap.add_argument("--decisions", type=int, default=200)
    args = ap.parse_args()
    out = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "results": []}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            ris = Path(tmp) / "records.ris"
            build_ris(ris, n)
            store = service.open_review(str(Path(tmp) / "review.db"))
            import_file(store, ris)
            in_app, trips, ready = asyncio.run(measure(store, args.decisions))
            # a second session: the tokens come from the review's database
            _, _, ready_again = asyncio.run(measure(store, 5))
            store.dispose()
        row: dict[str, object] = {
            "records": n,
            "decisions": len(in_app),
            "ranker_ready_s": round(ready, 1),
            "ranker_ready_reopen_s": round(ready_again, 1),
        }
        for name, samples in (("key_to_record", in_app), ("pilot_round_trip", trips)):
            samples = sorted(samples)
            q = statistics.quantiles(samples, n=20)
            row[f"{name}_p50_ms"] = round(statistics.median(samples), 1)
            row[f"{name}_p95_ms"] = round(q[18], 1)
            row[f"{name}_max_ms"] = round(samples[-1], 1)
        out["results"].append(row)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
