"""Load benchmark: 8 reviewers at once, with and without a 100,000-record import running.

    nice -n 10 python bench/load_bench.py [--reviewers 8] [--decisions 1000] \
        [--import-records 100000] [--pg URL]   (PostgreSQL: an admin URL; default
        $LITSIFT_TEST_PG_URL; a database is created and dropped)

Each reviewer is a process that makes `--decisions` decisions on random records, undoes
every 10th and reads (a record, its progress) every 5th. Every call is timed; a call that
raises counts as failed. Afterwards the database must hold exactly the decisions and undos
the reviewers were told succeeded. Prints one JSON line per scenario (backend, with/without
import) with decision latency p50/p95/max.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from review import service  # noqa: E402
from review.importing import import_file  # noqa: E402
from tests.concurrency import write_ris  # noqa: E402

CTX = mp.get_context("fork")


def reviewer(url: str, name: str, n: int, n_records: int, seed: int, start: Any, q: Any) -> None:
    store = service.open_review(url)
    rng = random.Random(seed)
    lat: list[float] = []
    confirmed = undone = failed = reads = 0
    start.wait()
    for i in range(1, n + 1):
        rid = rng.randint(1, n_records)
        t = time.perf_counter()
        try:
            service.record_decision(store, rid, rng.choice(("include", "exclude")), reviewer=name)
            confirmed += 1
        except Exception as e:  # counted and reported: the benchmark's point
            failed += 1
            print(f"{name}: decision failed: {type(e).__name__}: {e}", file=sys.stderr)
        lat.append(time.perf_counter() - t)
        try:
            if i % 10 == 0:
                service.undo_decision(store, reviewer=name)
                undone += 1
            if i % 5 == 0:
                service.get_record(store, rid)
                service.screening_progress(store, reviewer=name)
                reads += 1
        except Exception as e:
            failed += 1
            print(f"{name}: undo/read failed: {type(e).__name__}: {e}", file=sys.stderr)
    store.dispose()
    q.put(
        {
            "name": name,
            "lat": lat,
            "confirmed": confirmed,
            "undone": undone,
            "failed": failed,
            "reads": reads,
        }
    )


def importer(url: str, path: str, start: Any, q: Any) -> None:
    store = service.open_review(url)
    start.wait()
    t = time.perf_counter()
    try:
        n = import_file(store, path).imported
        q.put({"import_records": n, "import_s": time.perf_counter() - t})
    except Exception as e:
        q.put({"import_error": f"{type(e).__name__}: {e}"})
    store.dispose()


def scenario(url: str, args: argparse.Namespace, big: Path | None, work: Path) -> dict[str, Any]:
    store = service.open_review(url)
    import_file(store, write_ris(work / "base.ris", args.base_records, tag="base"), again=True)
    store.dispose()
    start = CTX.Event()
    q: Any = CTX.Queue()
    procs = [
        CTX.Process(
            target=reviewer,
            args=(url, f"r{i}", args.decisions, args.base_records, 1000 + i, start, q),
        )
        for i in range(args.reviewers)
    ]
    iq: Any = CTX.Queue()
    if big is not None:
        procs.append(CTX.Process(target=importer, args=(url, str(big), start, iq)))
    for p in procs:
        p.start()
    time.sleep(2.0)  # let every process open the review
    t0 = time.perf_counter()
    start.set()
    results = [q.get() for _ in range(args.reviewers)]
    wall = time.perf_counter() - t0
    imp = iq.get() if big is not None else {}
    for p in procs:
        p.join()
    lat = sorted(x for r in results for x in r["lat"])
    store = service.open_review(url)
    stored = len(service.list_decisions(store))
    retracted = sum(1 for d in service.list_decisions(store) if d.retracted_at is not None)
    n_records = service.review_status(store).records
    store.dispose()
    confirmed = sum(r["confirmed"] for r in results)
    undone = sum(r["undone"] for r in results)
    return {
        "backend": "postgresql" if url.startswith("postgresql") else "sqlite",
        "during_import": big is not None,
        "reviewers": args.reviewers,
        "decisions_confirmed": confirmed,
        "decisions_stored": stored,
        "undos_confirmed": undone,
        "decisions_retracted": retracted,
        "failed": sum(r["failed"] for r in results),
        "reads": sum(r["reads"] for r in results),
        "records_after": n_records,
        "p50_ms": round(1000 * statistics.median(lat), 1),
        "p95_ms": round(1000 * lat[int(0.95 * (len(lat) - 1))], 1),
        "max_ms": round(1000 * lat[-1], 1),
        "wall_s": round(wall, 1),
        **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in imp.items()},
        "consistent": stored == confirmed and retracted == undone,
    }


def pg_database(admin_url: str) -> tuple[str, Any]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    name = f"litsift_load_{uuid.uuid4().hex[:8]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    return admin.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reviewers", type=int, default=8)
    ap.add_argument("--decisions", type=int, default=1000)
    ap.add_argument("--base-records", type=int, default=5000)
    ap.add_argument("--import-records", type=int, default=100_000)
    ap.add_argument("--pg", default=os.environ.get("LITSIFT_TEST_PG_URL"))
    ap.add_argument(
        "--scenarios",
        default="sqlite,sqlite+import,postgresql,postgresql+import",
        help="comma-separated: BACKEND or BACKEND+import",
    )
    args = ap.parse_args()
    print(
        json.dumps(
            {
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "load": os.getloadavg(),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            }
        )
    )
    with tempfile.TemporaryDirectory(prefix="litsift-load-") as tmp:
        work = Path(tmp)
        big = write_ris(work / "big.ris", args.import_records, tag="big")
        for name in args.scenarios.split(","):
            backend, _, imp = name.partition("+")
            with_import = imp == "import"
            if True:
                drop = None
                if backend == "sqlite":
                    url = str(work / f"load-{with_import}.db")
                elif args.pg:
                    url, drop = pg_database(args.pg)
                else:
                    print(json.dumps({"backend": backend, "skipped": "no --pg URL"}))
                    continue
                try:
                    row = scenario(url, args, big if with_import else None, work)
                finally:
                    if drop:
                        drop()
                print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
