"""Crash runs: a child process doing one operation on a review is killed (SIGKILL) at a
random moment; afterwards the review must open and be as before the operation or as after
it, never in between. Used by tests/test_crash.py (a few runs) and bench/crash_bench.py."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from review import service
from tests.concurrency import CTX, write_ris

OPS = ("import", "dedup", "copy", "decide")
TABLES = ("record", "import_batch", "quarantine", "decision", "audit_log", "dedup_run")
TABLES += ("dedup_cluster", "dedup_member", "dedup_pair")


def prepare(work: Path, n: int = 800) -> Path:
    """A review of `n` records, each imported twice (from two files: duplicates for dedup),
    and the file the import runs load. Returns the pristine database file."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / "pristine.db"
    store = service.open_review(str(db))
    from review.importing import import_file

    import_file(store, write_ris(work / "one.ris", n, tag="d"))
    import_file(store, write_ris(work / "two.ris", n, tag="d"), again=True)
    store.dispose()
    write_ris(work / "big.ris", 4 * n, tag="big")
    return db


def counts(db: str) -> dict[str, int]:
    """Rows per table as the review shows them (opening it cleans up a killed import)."""
    store = service.open_review(db)
    try:
        with store.begin() as conn:
            out = {
                t: int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() or 0)
                for t in TABLES
            }
            out["loading"] = int(
                conn.exec_driver_sql(
                    "SELECT COUNT(*) FROM import_batch WHERE state = 'loading'"
                ).scalar()
                or 0
            )
            out["imported"] = int(
                conn.exec_driver_sql(
                    "SELECT COALESCE(SUM(n_imported), 0) FROM import_batch"
                ).scalar()
                or 0
            )
            out["audit_decide"] = int(
                conn.exec_driver_sql(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'decide'"
                ).scalar()
                or 0
            )
        out["visible"] = service.review_status(store).records
    finally:
        store.dispose()
    return out


def _operate(op: str, db: str, work: str) -> None:
    store = service.open_review(db)
    if op == "import":
        from review.importing import import_file

        import_file(store, Path(work) / "big.ris")
    elif op == "dedup":
        from review.dedup.service import run_dedup

        run_dedup(store)
    elif op == "copy":
        from review.copying import copy_review

        copy_review(store, str(Path(work) / "copied.db"))
    else:
        for rid in range(1, 400):
            service.record_decision(store, rid, "exclude", reviewer="ana")
            if rid % 7 == 0:
                service.undo_decision(store, reviewer="ana")
    store.dispose()


def crash_once(op: str, pristine: Path, work: Path, delay: float) -> str:
    """Run `op` on a fresh copy of the review, kill it after `delay` seconds, check the
    review. Returns "before", "after" or "finished" (done before the kill)."""
    db = work / f"{op}.db"
    for p in (db, work / "copied.db"):
        p.unlink(missing_ok=True)
    shutil.copy(pristine, db)
    before = counts(str(db))
    child = CTX.Process(target=_operate, args=(op, str(db), str(work)))
    child.start()
    child.join(delay)
    finished = child.exitcode is not None
    assert child.exitcode in (None, 0), f"{op} failed on its own (exit {child.exitcode})"
    if not finished:
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join()
    after = counts(str(db))
    state = _check(op, before, after, work)
    return "finished" if finished else state


def _check(op: str, before: dict[str, int], after: dict[str, int], work: Path) -> str:
    """Assert the review is as before or as after `op`; say which."""
    assert after["loading"] == 0, "a killed import's batch was not cleaned up"
    assert after["record"] == after["imported"] == after["visible"], after
    assert after["decision"] - before["decision"] == after["audit_decide"] - before["audit_decide"]
    changed = {k for k in after if after[k] != before[k]}
    if op == "import":
        n = after["record"] - before["record"]
        expected = 4 * before["record"] // 2  # big.ris has 4n records; the review 2n
        assert n in (0, expected), f"{n} records of {expected} were imported"
        assert after["import_batch"] - before["import_batch"] == (1 if n else 0)
        return "after" if n else "before"
    if op == "dedup":
        assert after["dedup_run"] in (0, 1)
        if after["dedup_run"] == 0:
            assert not changed - {"audit_log"}, changed
            return "before"
        assert after["dedup_cluster"] > 0 and after["dedup_member"] > 0
        return "after"
    if op == "copy":
        assert not changed, changed
        target = work / "copied.db"
        if not target.exists():
            return "before"
        copied = counts(str(target))
        assert {k: copied[k] for k in TABLES} == {k: before[k] for k in TABLES}
        return "after"
    # decide: every decision is whole (with its audit row); nothing else changed
    assert not changed - {"decision", "audit_log", "audit_decide"}, changed
    return "after" if changed else "before"


def crash_runs(work: Path, runs_per_op: int, seed: int, n: int = 800) -> dict[str, Counter[str]]:
    """`runs_per_op` kills of each operation at random moments; outcomes per operation."""
    rng = random.Random(seed)
    pristine = prepare(work, n)
    out: dict[str, Counter[str]] = {}
    for op in OPS:
        t0 = time.perf_counter()  # one run to the end: how long the operation takes here
        assert crash_once(op, pristine, work, 600.0) == "finished"
        span = time.perf_counter() - t0
        out[op] = Counter(
            crash_once(op, pristine, work, rng.uniform(0.05, 1.1 * span))
            for _ in range(runs_per_op)
        )
    return out


def describe(outcomes: dict[str, Any]) -> str:
    """One line per operation: how many runs ended before, after or finished."""
    return "\n".join(f"{op}: {dict(c)}" for op, c in outcomes.items())


if __name__ == "__main__":  # pragma: no cover
    t0 = time.perf_counter()
    print(describe(crash_runs(Path("/tmp/litsift-crash"), 1, 1)), time.perf_counter() - t0)
