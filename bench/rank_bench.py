"""A large review from import to a ready model: import, features at import, open, retrain.

Records are the SYNERGY sets in ../shared/corpora/synergy, then perturbed copies of them
(words dropped and rotated in title and abstract) up to `--records`, written as one RIS file.
Each step runs in its own process, so each peak memory is its own:

1. import the file into a new SQLite review (`import_file`), then `prepare_features` (what
   `litsift import` does: tokens, TF-IDF and the BM25 cold start, stored as a snapshot);
2. open the ranker as the app and `litsift next` do (`open_ranker`) on the fresh review:
   "model ready" is the time until the first ranking can be served;
3. record `--labels` decisions (5% includes, random records; once per review), open again
   (the first model fit is part of "model ready" now), then time `--repeat` synchronous
   retrain + rerank after one more decision each, and serving the next record.

Each open is also run under cProfile, to split it into reading the record ids, reading the
snapshot's blob, making the matrix, reading the decisions and the first fit (`split`). Wall and
CPU time (`*_cpu_s`: this process, plus the import's reader processes) and the load average
before/after are reported: on a shared machine the CPU time shows what a quiet one would take.

    python bench/rank_bench.py [--records 100000] [--labels 500] [--repeat 5] [--out bench/out]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SYNERGY = ROOT.parent / "shared" / "corpora" / "synergy"


def perturb(text: str, rng: np.random.Generator) -> str:
    words = [w for w in text.split() if rng.random() > 0.15]
    i = int(rng.integers(max(len(words), 1)))
    return " ".join(words[i:] + words[:i])


def build_ris(path: Path, n: int, seed: int = 0) -> None:
    """`n` records: the SYNERGY records, then perturbed copies of them."""
    base: list[tuple[str, str]] = []
    for f in sorted(SYNERGY.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            base += [(r["title"], r["abstract"]) for r in csv.DictReader(fh)]
    if not base:
        sys.exit(f"no SYNERGY CSVs in {SYNERGY}")
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            title, abstract = base[i] if i < len(base) else base[int(rng.integers(len(base)))]
            if i >= len(base):
                title, abstract = perturb(title, rng), perturb(abstract, rng)
            lines = ["TY  - JOUR", f"ID  - rank-{i}", f"TI  - {title}"]
            if abstract:
                lines.append(f"AB  - {abstract}")
            out.write("\n".join([*lines, "ER  - "]) + "\n\n")


PRELUDE = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
def load(): return float(open("/proc/loadavg").read().split()[0])
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def cpu():  # this process and its finished children (the import's reader processes)
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
"""

IMPORT = (
    PRELUDE
    + """
from review.service import open_review
from review.importing import import_file
from screening.prepare import prepare_features
store = open_review({db!r}, name="bench")
l0 = load(); t = time.perf_counter(); c = cpu()
n = import_file(store, {ris!r}).imported
t_import, c_import, l1 = time.perf_counter() - t, cpu() - c, load()
t = time.perf_counter(); c = cpu()
prepare_features(store)
t_prepare, c_prepare = time.perf_counter() - t, cpu() - c
print(json.dumps({{"n": n, "import_s": t_import, "import_cpu_s": c_import,
                  "prepare_s": t_prepare, "prepare_cpu_s": c_prepare, "peak_mb": peak(),
                  "load": [l0, l1, load()]}}))
"""
)

OPEN = (
    PRELUDE
    + """
import cProfile, pstats
import numpy as np
from review import service
from screening.service import open_ranker
from screening.snapshot import record_ids
store = service.open_review({db!r})
if {labels} and not service.list_decisions(store, reviewer="bench"):
    # decisions recorded as a reviewer would (once per review), then the review is opened again
    rng = np.random.default_rng(1)
    for i, rid in enumerate(rng.choice(record_ids(store), {labels}, replace=False)):
        service.record_decision(store, int(rid), "include" if i % 20 == 0 else "exclude",
                                reviewer="bench")
prof = cProfile.Profile() if {profile} else None
l0 = load(); t = time.perf_counter(); c = time.process_time()
if prof: prof.enable()
rr = open_ranker(store, reviewer="bench", background=False)
first = rr.next_record_id()
if prof: prof.disable()
ready, ready_cpu, l1 = time.perf_counter() - t, time.process_time() - c, load()
split = {{}}
if prof:  # where the open's time went (cumulative seconds, under the profiler)
    stats = pstats.Stats(prof).stats
    for (path, _, name), (_, _, _, cum, _) in stats.items():
        if name in ("record_ids", "get_blob", "from_bytes", "final_labels", "list_decisions",
                    "retrain", "next_record_id", "load_snapshot", "open_ranker") and (
                    "litsift" in path or "/review/" in path or "/screening/" in path):
            split[name] = round(split.get(name, 0) + cum, 3)
retrain, retrain_cpu, serve = [], [], []
if {labels}:
    rng = np.random.default_rng(2)
    undecided = [i for i in range(len(rr.record_ids)) if i not in rr.ranker.labels]
    for row in rng.choice(undecided, {repeat}, replace=False):
        t = time.perf_counter(); c = time.process_time()
        rr.ranker.decide(int(row), 0)  # synchronous: fit, score every record, rank
        retrain.append(time.perf_counter() - t); retrain_cpu.append(time.process_time() - c)
        t = time.perf_counter()
        rr.next_record_id()
        serve.append(time.perf_counter() - t)
print(json.dumps({{"ready_s": ready, "ready_cpu_s": ready_cpu, "split": split,
                  "fits": rr.ranker.version, "retrain_s": retrain, "retrain_cpu_s": retrain_cpu,
                  "serve_s": serve, "peak_mb": peak(), "load": [l0, l1, load()],
                  "records": len(rr.record_ids), "columns": rr.ranker.X.shape[1]}}))
"""
)


def child(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--labels", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--reuse", action="store_true", help="skip the import if the review exists")
    ap.add_argument("--db", type=Path, help="an imported, prepared review to open instead")
    ap.add_argument("--no-profile", action="store_true", help="skip the profiled opens")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    ris = args.out / f"rank_{args.records}.ris"
    if args.db is None and not ris.exists():
        build_ris(ris, args.records)
    db = args.db or args.out / f"rank_{args.records}.db"
    result: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    if args.db is None and not (args.reuse and db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        result["import"] = child(IMPORT.format(root=str(ROOT), db=str(db), ris=str(ris)))
        print(json.dumps(result["import"]), flush=True)
    opens = {
        "open_fresh": dict(labels=0, repeat=0, profile=False),
        "open_fresh_profiled": dict(labels=0, repeat=0, profile=True),
        "open_with_decisions": dict(labels=args.labels, repeat=args.repeat, profile=False),
        "open_with_decisions_profiled": dict(labels=args.labels, repeat=0, profile=True),
    }
    for name, opts in opens.items():
        if args.no_profile and opts["profile"]:
            continue
        result[name] = child(OPEN.format(root=str(ROOT), db=str(db), **opts))
        print(name, json.dumps(result[name]), flush=True)
    r = result["open_with_decisions"]["retrain_s"]
    if r:
        print(f"retrain + rerank: median {np.median(r):.3f} s, max {max(r):.3f} s")
    (args.out / "rank_bench.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
