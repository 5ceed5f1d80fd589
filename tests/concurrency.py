"""Helpers for tests with several real processes on one review: databases (SQLite file or a
fresh PostgreSQL database), generated RIS files, and starting worker processes."""

from __future__ import annotations

import multiprocessing as mp
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PG_URL = os.environ.get("LITSIFT_TEST_PG_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set"),
        ],
    ),
]
# fork: children start in milliseconds; the parent holds no open connection when it forks
CTX = mp.get_context("fork")


@contextmanager
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no review in it yet (dropped afterwards on PostgreSQL)."""
    if backend == "sqlite":
        yield str(tmp_path / "review.db")
        return
    import psycopg
    from sqlalchemy.engine import make_url

    assert PG_URL
    admin = make_url(PG_URL)
    name = f"litsift_{uuid.uuid4().hex[:10]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def write_ris(path: Path, n: int, *, tag: str = "r", start: int = 0) -> Path:
    """A RIS file of `n` distinct journal articles."""
    with path.open("w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(
                f"TY  - JOUR\nID  - {tag}{i}\nTI  - Study {tag} number {i} of screening "
                f"under load\nAU  - Author, A{i % 97}\nPY  - {1990 + i % 30}\n"
                f"AB  - An abstract for record {i} about outcomes in trial {i % 13}.\n"
                f"DO  - 10.5555/{tag}.{i}\nER  - \n\n"
            )
    return path


def run_all(target: Callable[..., None], argsets: list[tuple[Any, ...]], timeout: float = 120):
    """Run `target(*args, queue)` in one process per argument set; returns what each put on
    the queue (one result each) and checks every process exited cleanly."""
    queue = CTX.Queue()
    procs = [CTX.Process(target=target, args=(*a, queue)) for a in argsets]
    for p in procs:
        p.start()
    results = [queue.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout)
        assert p.exitcode == 0, f"a worker exited with {p.exitcode}"
    return results
