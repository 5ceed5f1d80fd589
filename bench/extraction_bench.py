"""Extraction at scale: exporting a large extraction wide and long, and opening one study's
extraction (the form parsed and the study's values loaded, what a form screen needs).

    python bench/extraction_bench.py [--studies 2000] [--fields 50] [--columns 10] [--rows 10]
        [--formats csv,json,xlsx]

Builds a SQLite review with `studies` studies, a form of `fields` scalar fields plus one
repeating group of `columns` columns, and `rows` rows per study, filled in bulk (one
transaction, not the per-field writes of the app), then times the exports: wall-clock and
this process's CPU time (on a shared machine the wall clock also counts other people's work).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extraction.service import ExtractionSession
from extraction.storage import get_form, load
from review import service
from review.extraction_tables import Extraction, ExtractionValue
from review.prisma_tables import Study


def form_text(fields: int, columns: int) -> str:
    kinds = ["text", "integer", "number", "boolean", "date"]
    lines = ["name: bench", "sections:", "  - name: main", "    fields:"]
    for i in range(fields):
        lines.append(f"      - {{name: f{i}, type: {kinds[i % len(kinds)]}}}")
    lines += ["      - name: g", "        type: group", "        fields:"]
    lines += [f"          - {{name: c{j}, type: number, unit: GBP}}" for j in range(columns)]
    return "\n".join(lines) + "\n"


def value(kind: str, i: int) -> object:
    return {
        "text": f"value {i}",
        "integer": i,
        "number": i / 7,
        "boolean": i % 2 == 0,
        "date": "2020-01-02",
    }[kind]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--studies", type=int, default=2000)
    ap.add_argument("--fields", type=int, default=50)
    ap.add_argument("--columns", type=int, default=10)
    ap.add_argument("--rows", type=int, default=10)
    ap.add_argument("--formats", default="csv,json,xlsx")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="litsift-extraction-bench-"))
    store = service.open_review(str(folder / "review.db"))
    ex = ExtractionSession(store)
    ex.add_form(form_text(args.fields, args.columns))
    fv = get_form(store, "bench")
    kinds = [f.type for f in fv.form.fields if not f.is_group]
    t0 = time.perf_counter()
    with store.begin() as conn:
        conn.execute(Study.__table__.insert(), [{"name": f"s{i}"} for i in range(args.studies)])  # type: ignore[attr-defined]
        conn.execute(
            Extraction.__table__.insert(),  # type: ignore[attr-defined]
            [
                {"study_id": i + 1, "form_id": fv.id, "reviewer": "ana", "status": "complete"}
                for i in range(args.studies)
            ],
        )
        vals = []
        for e in range(1, args.studies + 1):
            vals += [
                {"extraction_id": e, "field": f"f{i}", "row": 0, "value": value(k, e)}
                for i, k in enumerate(kinds)
            ]
            vals += [
                {"extraction_id": e, "field": f"g.c{j}", "row": r, "value": e + j / 10}
                for r in range(1, args.rows + 1)
                for j in range(args.columns)
            ]
        conn.execute(ExtractionValue.__table__.insert(), vals)  # type: ignore[attr-defined]
    print(f"filled {len(vals)} values in {time.perf_counter() - t0:.1f} s")
    for layout in ("wide", "long"):
        for fmt in args.formats.split(","):
            t0, c0 = time.perf_counter(), time.process_time()
            r = ex.export("bench", layout, fmt, folder / f"out_{layout}.{fmt}")  # type: ignore[arg-type]
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(f"export {layout} {fmt}: {r.rows} rows in {wall:.2f} s (CPU {cpu:.2f} s)")
    times = []
    for study in (1, args.studies // 2, args.studies):
        t0 = time.perf_counter()
        fv2 = get_form(store, "bench")
        load(store, fv2, study=study, reviewer="ana")
        times.append(time.perf_counter() - t0)
    print(f"open one study's extraction: {max(times) * 1000:.0f} ms (slowest of 3)")


if __name__ == "__main__":
    main()
