"""Import benchmark: a 100,000-record RIS file built from the SYNERGY CSVs.

    python bench/import_bench.py [--records 100000] [--out bench/out]

Builds the file once (about 210 MB; records repeated with varied ids, titles and years so no
two are identical), then measures in separate processes, so each peak memory is its own:
  1. a bare `rispy.load` of the file (the reference parser; `pip install rispy`),
  2. `litsift import` end to end into a new SQLite review (detect, decode, parse, normalise,
     store raw + fields, quarantine, commit).
Prints records/s, seconds and peak RSS for each, and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNERGY = ROOT.parent / "shared" / "corpora" / "synergy"


def build_ris(path: Path, n: int) -> None:
    """Write `n` RIS records cycling through the SYNERGY records."""
    rows: list[dict[str, str]] = []
    for f in sorted(SYNERGY.glob("*.csv")):
        with open(f, newline="", encoding="utf-8") as fh:
            rows.extend(csv.DictReader(fh))
    if not rows:
        sys.exit(f"no SYNERGY CSVs in {SYNERGY}")
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            r = rows[i % len(rows)]
            copy = i // len(rows)
            lines = ["TY  - JOUR", f"ID  - bench-{i}"]
            title = r["title"] + (f" (replicate {copy})" if copy else "")
            lines.append(f"TI  - {title}")
            lines += [f"AU  - {a.strip()}" for a in r["authors"].split(";") if a.strip()]
            if r["year"]:
                lines.append(f"PY  - {int(float(r['year'])) + copy % 3}")
            for tag, col in (("T2", "journal"), ("VL", "volume"), ("IS", "issue"), ("SP", "pages")):
                if r.get(col):
                    lines.append(f"{tag}  - {r[col]}")
            if r["doi"]:
                lines.append(f"DO  - {r['doi']}")
            if r["abstract"]:
                lines.append(f"AB  - {r['abstract']}")
            lines.append("ER  - ")
            out.write("\n".join(lines) + "\n\n")


def machine() -> str:
    """CPU model, cores, memory and Python version of this machine."""
    model = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{model}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}"
    )


def _child(code: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


RISPY = """
import json, resource, time, rispy
t = time.perf_counter()
with open({path!r}, encoding="utf-8") as f:
    n = len(rispy.load(f))
dt = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"n": n, "s": dt, "rss_mb": rss}}))
"""

LITSIFT = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from review.service import open_review
from review.importing import import_file
t = time.perf_counter()
store = open_review({db!r}, name="bench")
r = import_file(store, {path!r})
dt = time.perf_counter() - t
print(json.dumps({{"n": r.imported, "q": len(r.quarantined), "s": dt,
                   "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    ris = args.out / f"synergy_{args.records}.ris"
    if not ris.exists():
        print(f"building {ris} ...", file=sys.stderr)
        build_ris(ris, args.records)
    size_mb = ris.stat().st_size / 1e6
    db = args.out / "import_bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    base = _child(RISPY.format(path=str(ris)))
    ours = _child(LITSIFT.format(root=str(ROOT), db=str(db), path=str(ris)))
    assert ours["n"] == args.records and ours["q"] == 0, ours
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": machine(),
        "file_mb": round(size_mb, 1),
        "records": args.records,
        "rispy_s": round(base["s"], 2),
        "rispy_peak_mb": round(base["rss_mb"]),
        "litsift_s": round(ours["s"], 2),
        "litsift_records_per_s": round(args.records / ours["s"]),
        "litsift_peak_mb": round(ours["rss_mb"]),
        "litsift_reader_process_peak_mb": round(ours["child_rss_mb"]),
        "ratio_to_rispy": round(ours["s"] / base["s"], 2),
        "db_mb": round(db.stat().st_size / 1e6, 1),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
