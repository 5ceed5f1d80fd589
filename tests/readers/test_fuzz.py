"""Bounded fuzz of every reader (issue 11): mutations of the real files in ../shared/formats
import with counts that add up, or are refused cleanly; no other exception.

`LITSIFT_FUZZ_EXAMPLES` sets the number of examples (default 150, about 30-60 s here);
bench/fuzz_bench.py runs thousands.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from review.db import Store
from tests.conftest import FORMATS
from tests.readers.fuzz import Seed, check_import, mutated, seeds

EXAMPLES = int(os.environ.get("LITSIFT_FUZZ_EXAMPLES", "150"))
_WORK = tempfile.TemporaryDirectory(prefix="litsift-fuzz-")


@cache
def _seeds() -> tuple[Seed, ...]:
    return tuple(seeds(FORMATS, Path(_WORK.name)))


@cache
def _store() -> Store:
    from review.service import open_review

    return open_review(str(Path(_WORK.name) / "fuzz.db"))


@st.composite
def cases(draw: st.DrawFn) -> tuple[Seed, bytes, str | None]:
    seed = draw(st.sampled_from(_seeds()))
    data = draw(mutated(seed.data))
    fmt = draw(st.sampled_from([None, seed.reader]))
    return seed, data, fmt


@pytest.fixture(scope="module", autouse=True)
def _need_formats() -> None:
    if not FORMATS.exists():
        pytest.skip(f"shared formats not available: {FORMATS}")


def test_every_reader_has_a_seed() -> None:
    from review.readers.registry import reader_names

    assert {s.reader for s in _seeds()} == set(reader_names())


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(case=cases())
def test_mutated_files_import_with_counts_that_add_up_or_are_refused(
    case: tuple[Seed, bytes, str | None],
) -> None:
    seed, data, fmt = case
    path = Path(_WORK.name) / ("mutated" + Path(seed.name).suffix)
    path.write_bytes(data)
    event(check_import(_store(), path, fmt))
