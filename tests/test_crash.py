"""Kill -9 during import, dedup, copy and decide: the review opens afterwards and is as
before or as after the operation, never in between (a few runs; bench/crash_bench.py runs
many). The moments are random; LITSIFT_CRASH_SEED repeats a run."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tests.crash import OPS, crash_once, prepare


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return prepare(tmp_path_factory.mktemp("crash"), n=400)


@pytest.mark.parametrize("op", OPS)
def test_killed_operation_leaves_the_review_before_or_after(op: str, pristine: Path) -> None:
    seed = int(os.environ.get("LITSIFT_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    outcomes = [crash_once(op, pristine, pristine.parent, rng.uniform(0.05, 1.2)) for _ in range(2)]
    assert set(outcomes) <= {"before", "after", "finished"}, f"seed {seed}"
