"""Deduplication benchmarks.

python bench/dedup_bench.py labelled [--out bench/out]
    Every labelled set in ../shared/dedup, imported with the generic CSV reader into a
    temporary review, deduplicated by the service, scored by ../shared/tools/dedup_score.py;
    then the leave-one-set-out figures (thresholds chosen on the other sets, see
    bench/dedup_loo.py) and the hand-written pair cases; writes bench/out/dedup_results.md
    next to bib-dedupe 0.11's figures (ANCHORS.md).

python bench/dedup_bench.py loo
    Only the leave-one-set-out table.

python bench/dedup_bench.py scale [--sizes 10000 50000 100000 200000] [--service]
    Records built from the SYNERGY CSVs: ~70% distinct publications (the real records,
    then synthetic ones whose titles mix words of real titles), ~30% perturbed copies
    (case, accents, author formats, abbreviated journals, missing DOIs, truncated titles,
    short page ranges, a year off by one). Each size runs in its own process: seconds and
    peak memory of the matcher (and with --service, of `run_dedup` on a SQLite review),
    plus precision/recall against the known copies.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = Path(os.environ.get("LITSIFT_SHARED", ROOT.parent / "shared"))
SETS = (
    "asysd_diabetes",
    "rathbone2015_cytology_screening",
    "rathbone2015_respiratory",
    "sra_copper",
    "bibdedupe_special_cases",
)


def _scorer() -> Any:
    spec = importlib.util.spec_from_file_location("dedup_score", SHARED / "tools/dedup_score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.score


def _write(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _anchors() -> dict[str, list[str]]:
    """bib-dedupe's row per set from ../shared/dedup/ANCHORS.md."""
    out = {}
    for line in (SHARED / "dedup/ANCHORS.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in SETS:
            out[cells[0]] = cells
    return out


def loo_lines() -> list[str]:
    """The leave-one-set-out table and the pair cases, as markdown lines."""
    import dedup_loo

    score = _scorer()
    sets = [dedup_loo.load_and_score(n, SHARED / "dedup" / f"{n}.csv") for n in SETS]
    rows = dedup_loo.leave_one_out(sets, score)
    lines = dedup_loo.table(rows, _anchors())
    pc = dedup_loo.pair_cases(SHARED / "dedup/bibdedupe_pair_cases.csv")
    lines += [
        "",
        f"Pair cases (`bibdedupe_pair_cases.csv`, each case on its own, default thresholds): "
        f"{pc['dup_merged']} of {pc['dup']} duplicates merged and {pc['dup_queued']} queued; "
        f"{pc['non_dup_merged']} of {pc['non_dup']} non-duplicates merged.",
    ]
    return lines


def labelled(out_dir: Path) -> None:
    """Run every labelled set through the service and write the results table."""
    from review.dedup import service
    from review.service import import_files, open_review

    score = _scorer()
    anchors = _anchors()
    buckets: dict[str, list[int]] = {}
    lines = [
        "| set | tool | records | pair precision | pair recall (auto) | F1 | recall with queue "
        "| queued pairs (% of records) | record sensitivity | record specificity "
        "| false merges | time |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in SETS:
        labelled_csv = SHARED / "dedup" / f"{name}.csv"
        with tempfile.TemporaryDirectory() as tmp:
            store = open_review(str(Path(tmp) / "r.db"))
            import_files(store, [labelled_csv])
            t0 = time.perf_counter()
            service.run_dedup(store)
            seconds = time.perf_counter() - t0
            cl, pr = Path(tmp) / "clusters.csv", Path(tmp) / "pairs.csv"
            _write(cl, service.cluster_rows(store), ["source_key", "cluster_id", "canonical"])
            _write(pr, service.pair_rows(store), ["source_key_a", "source_key_b", "decision"])
            s = score(str(labelled_csv), str(cl), str(pr))
            _calibrate(labelled_csv, service.pair_rows(store), buckets)
            store.dispose()
        q = s["queued_pairs"]
        lines.append(
            f"| {name} | litsift | {s['records']} | {s['pair_precision']:.3f} "
            f"| {s['pair_recall']:.3f} | {s['pair_f1']:.3f} | {s['recall_with_queue']:.3f} "
            f"| {q} ({q / s['records']:.1%}) | {s['rec_sensitivity']:.3f} "
            f"| {s['rec_specificity']:.3f} | {s['false_merges']} | {seconds:.1f} s |"
        )
        a = anchors.get(name)
        if a:
            lines.append(
                f"| | bib-dedupe 0.11 | {a[1]} | {a[2]} | {a[3]} | {a[4]} | – | {a[5]} "
                f"| {a[6]} | {a[7]} | {a[8]} | {a[9]} |"
            )
        print(lines[-2] if a else lines[-1], flush=True)
    loo = loo_lines()
    print("\n".join(loo), flush=True)
    text = (
        f"# Deduplication on the labelled sets ({time.strftime('%Y-%m-%d')})\n\n"
        "`python bench/dedup_bench.py labelled`: each set imported with `litsift import` "
        "(generic CSV), deduplicated with default settings (automatic merge at score ≥ 0.995, "
        "queue ≥ 0.7), scored by `shared/tools/dedup_score.py` (pairs over within-cluster "
        "pairs; 'recall with queue' adds the queued pairs). bib-dedupe rows are from "
        "`shared/dedup/ANCHORS.md` (its 'maybe' pairs count as queued; time there includes "
        "its own preparation). litsift time is `run_dedup` on a SQLite review, 2 cores.\n\n"
        "Caveat: litsift's weights and rules were tuned by reading errors on these same sets, "
        "as bib-dedupe was tuned on them; the SYNERGY scale benchmark is the out-of-sample "
        "check.\n\n" + "\n".join(lines) + "\n\n"
        "## Leave one set out\n\n"
        "Thresholds (automatic merge / queue) chosen on the other sets from a grid "
        "(auto 0.95–0.999, queue 0.3–0.9: every other set at precision 1.0 and recall with "
        "queue ≥ 0.99, pooled queue ≤ 5% of records, then the highest automatic recall); the "
        "held-out set scored with them. Targets: precision 1.0, recall with queue ≥ 0.99, "
        "queue ≤ 5% of records, automatic recall ≥ bib-dedupe 0.11's.\n\n" + "\n".join(loo) + "\n\n"
        "## Calibration: stored pairs of all sets by score\n\n"
        "| score | pairs | true duplicates | share |\n|---|---:|---:|---:|\n"
        + "".join(
            f"| {k} | {n} | {t} | {t / n:.3f} |\n" for k, (n, t) in sorted(buckets.items()) if n
        )
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "dedup_results.md").write_text(text, encoding="utf-8")
    print(f"wrote {out_dir / 'dedup_results.md'}")


SCORE_BUCKETS = (0.05, 0.5, 0.7, 0.9, 0.99, 0.995, 0.999, 1.01)


def _calibrate(labelled_csv: Path, pairs: list[dict[str, Any]], buckets: dict) -> None:
    """Count stored pairs and true duplicates per score bucket."""
    with labelled_csv.open(encoding="utf-8", newline="") as f:
        truth = {r["record_id"]: r["dup_group"] for r in csv.DictReader(f)}
    for p in pairs:
        lo = max(b for b in SCORE_BUCKETS if b <= max(p["score"], SCORE_BUCKETS[0]))
        hi = SCORE_BUCKETS[SCORE_BUCKETS.index(lo) + 1]
        key = f"[{lo}, {min(hi, 1.0)}{']' if hi > 1 else ')'}"
        n_t = buckets.setdefault(key, [0, 0])
        n_t[0] += 1
        n_t[1] += truth[p["source_key_a"]] == truth[p["source_key_b"]]


# --- scale -------------------------------------------------------------------------------


def _synergy() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for f in sorted((SHARED / "corpora/synergy").glob("*.csv")):
        with f.open(newline="", encoding="utf-8") as fh:
            rows.extend(r for r in csv.DictReader(fh) if r.get("title"))
    if not rows:
        sys.exit("no SYNERGY CSVs in ../shared/corpora/synergy")
    return rows


ACCENTS = str.maketrans("aeiounc", "áéíöüñç")


def _base(r: dict[str, str]) -> dict[str, Any]:
    year = int(float(r["year"])) if r.get("year") else None
    return {
        "title": r["title"],
        "authors": [a.strip() for a in (r.get("authors") or "").split(";") if a.strip()],
        "year": year,
        "journal": r.get("journal") or "",
        "volume": r.get("volume") or "",
        "issue": r.get("issue") or "",
        "pages": r.get("pages") or "",
        "doi": (r.get("doi") or "").lower(),
    }


def _synthetic(k: int, pool: list[dict[str, Any]], vocab: list[str], rng: random.Random) -> dict:
    """A distinct publication: a real title with about half its words replaced."""
    src = pool[rng.randrange(len(pool))]
    words = src["title"].split()
    for i in range(len(words)):
        if rng.random() < 0.5:
            words[i] = rng.choice(vocab)
    authors = [a for p in rng.sample(pool, 2) for a in p["authors"][:3]] or ["Anon A"]
    first = rng.randint(1, 3000)
    return {
        "title": " ".join(words),
        "authors": authors[: rng.randint(1, 6)],
        "year": rng.randint(1985, 2024),
        "journal": rng.choice(pool)["journal"],
        "volume": str(rng.randint(1, 400)),
        "issue": str(rng.randint(1, 12)),
        "pages": f"{first}-{first + rng.randint(1, 25)}",
        "doi": f"10.9999/syn.{k}" if rng.random() < 0.7 else "",
    }


def _author_variant(name: str, style: int) -> str:
    if "," in name:
        surname, given = (p.strip() for p in name.split(",", 1))
    else:
        parts = name.split()
        surname, given = parts[-1], " ".join(parts[:-1])
    initials = "".join(g[0] for g in given.replace(".", " ").split() if g)
    return [f"{surname}, {given}", f"{surname} {initials}", f"{given} {surname}", name][style]


def _perturb(rec: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = dict(rec)
    t = rec["title"]
    t = rng.choice([t, t.upper(), t.lower(), t.title(), t + "."])
    if rng.random() < 0.15 and len(t) > 70:
        t = t[: int(len(t) * rng.uniform(0.7, 0.9))]
    if rng.random() < 0.2:
        t = t.translate(ACCENTS) if rng.random() < 0.5 else t.replace(":", " -")
    out["title"] = t
    style = rng.randrange(4)
    out["authors"] = [_author_variant(a, style) for a in rec["authors"]]
    if rng.random() < 0.5:
        out["doi"] = ""
    if rng.random() < 0.3 and rec["journal"]:
        out["journal"] = " ".join(w[:4] for w in rec["journal"].split() if w.lower() != "of")
    if rng.random() < 0.3:
        out["pages"] = ""
    if rng.random() < 0.05 and rec["year"]:
        out["year"] = rec["year"] + 1  # the preprint or online-first version
    return out


def build(n: int, seed: int = 7) -> tuple[list[dict[str, Any]], list[int]]:
    """`n` records and the publication each one is (index into the distinct ones)."""
    rng = random.Random(seed)
    pool = [_base(r) for r in _synergy()]
    vocab = sorted({w for r in pool for w in r["title"].split() if len(w) > 3})
    n_pub = int(n * 0.7)
    pubs = pool[:n_pub] + [_synthetic(k, pool, vocab, rng) for k in range(len(pool), n_pub)]
    records, truth = [dict(p) for p in pubs], list(range(len(pubs)))
    while len(records) < n:
        k = rng.randrange(len(pubs))
        records.append(_perturb(pubs[k], rng))
        truth.append(k)
    order = list(range(n))
    rng.shuffle(order)
    return [records[i] | {"id": j + 1} for j, i in enumerate(order)], [truth[i] for i in order]


CHILD = """
import json, pickle, resource, sys, time
sys.path.insert(0, {root!r})
records, truth = pickle.load(open({data!r}, "rb"))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from review.dedup.engine import find_duplicates
t = time.perf_counter()
res = find_duplicates(records)
sec = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pred = {{}}
for c, members in enumerate(res.clusters):
    for m in members:
        pred[m] = c
def pairs(groups):
    out = 0
    for g in groups.values():
        out += len(g) * (len(g) - 1) // 2
    return out
tg, pg, both = {{}}, {{}}, {{}}
for i, g in enumerate(truth):
    tg.setdefault(g, []).append(i)
    if i in pred:
        pg.setdefault(pred[i], []).append(i)
        both.setdefault((g, pred[i]), []).append(i)
tp = pairs(both)
queued_true = sum(1 for p in res.pairs if p.decision == "queued" and truth[p.i] == truth[p.j]
                  and pred.get(p.i, -1 - p.i) != pred.get(p.j, -2 - p.j))
print(json.dumps(dict(seconds=sec, peak_mib=peak / 1024, data_mib=base / 1024,
    true_pairs=pairs(tg), pred_pairs=pairs(pg), tp=tp, queued=len(res.queued),
    queued_true=queued_true, candidates=res.timings["candidates"], timings=res.timings)))
"""

SERVICE_CHILD = """
import json, pickle, resource, sys, time
sys.path.insert(0, {root!r})
records, truth = pickle.load(open({data!r}, "rb"))
from review.service import open_review
from review.dedup import service
store = open_review({db!r})
rows = [dict(r, authors=r["authors"], batch_id=1, source_key=str(r["id"])) for r in records]
from review.models import ImportBatch, Record
with store.begin() as conn:
    conn.execute(ImportBatch.__table__.insert().values(id=1, file_name="bench", sha256="x",
                 format="bench"))
    cols = ("id", "batch_id", "source_key", "title", "authors", "year", "journal", "volume",
            "issue", "pages", "doi")
    for s in range(0, len(rows), 5000):
        conn.execute(Record.__table__.insert(),
                     [{{**{{c: r[c] for c in cols}}, "keywords": []}} for r in rows[s:s+5000]])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
summary = service.run_dedup(store)
sec = time.perf_counter() - t
t = time.perf_counter()
again = service.run_dedup(store)
sec2 = time.perf_counter() - t
print(json.dumps(dict(seconds=sec, rerun_seconds=sec2,
    peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    clusters=summary.clusters, queued=summary.queued)))
"""


def scale(sizes: list[int], with_service: bool, out_dir: Path) -> None:
    """Time and memory of the matcher per size, in a fresh process each."""
    import pickle

    lines: list[str] = []

    def emit(line: str) -> None:
        lines.append(line)
        print(line, flush=True)

    emit(
        "| records | matcher s | candidate pairs | matcher peak RSS MiB (data alone) "
        "| pair precision | pair recall | recall + queue | queued (% of records) "
        "| service run_dedup s | re-run s | service peak MiB |"
    )
    emit("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        records, truth = build(n)
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data.pkl"
            with data.open("wb") as f:
                pickle.dump((records, truth), f)
            r = _child(CHILD.format(root=str(ROOT), data=str(data)))
            svc = {"seconds": None, "rerun_seconds": None, "peak_mib": None}
            if with_service:
                db = str(Path(tmp) / "r.db")
                svc = _child(SERVICE_CHILD.format(root=str(ROOT), data=str(data), db=db))
        prec = r["tp"] / r["pred_pairs"] if r["pred_pairs"] else 1.0
        rec = r["tp"] / r["true_pairs"]
        recq = (r["tp"] + r["queued_true"]) / r["true_pairs"]

        def fmt(v: float | None, spec: str = ".1f") -> str:
            return "–" if v is None else format(v, spec)

        emit(
            f"| {n} | {r['seconds']:.1f} | {r['candidates']:.0f} | {r['peak_mib']:.0f} "
            f"({r['data_mib']:.0f}) | {prec:.4f} | {rec:.4f} | {recq:.4f} "
            f"| {r['queued']} ({r['queued'] / n:.1%}) | {fmt(svc['seconds'])} "
            f"| {fmt(svc['rerun_seconds'])} | {fmt(svc['peak_mib'], '.0f')} |"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "dedup_scale.md").write_text(
        f"# Deduplication at scale ({time.strftime('%Y-%m-%d')}, "
        f"`python bench/dedup_bench.py scale{' --service' if with_service else ''}`)\n\n"
        "Records built from the SYNERGY CSVs, ~30% perturbed copies; each size in a fresh "
        "process; peak RSS includes the records themselves (in brackets: RSS after loading "
        "them). The service column stores records in a SQLite review first, then times "
        "`run_dedup` (and a re-run with nothing new).\n\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


def _child(code: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    lab = sub.add_parser("labelled")
    lab.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    sub.add_parser("loo")
    sc = sub.add_parser("scale")
    sc.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000, 200_000])
    sc.add_argument("--service", action="store_true")
    sc.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = p.parse_args()
    if args.cmd == "labelled":
        labelled(args.out)
    elif args.cmd == "loo":
        print("\n".join(loo_lines()))
    else:
        scale(args.sizes, args.service, args.out)


if __name__ == "__main__":
    main()
