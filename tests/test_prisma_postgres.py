"""The PRISMA counts of the known-numbers review on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.db import Store
from review.prisma import prisma_counts
from tests.test_postgres import PG_URL, pg_store
from tests.test_prisma import EXPECTED, build_review, screen_review

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="LITSIFT_TEST_PG_URL not set (see .ci/postgres.sh)"),
]
__all__ = ["pg_store"]  # the fixture


def test_every_prisma_box_on_postgres(pg_store: Store, tmp_path: Path) -> None:
    screen_review(pg_store, build_review(pg_store, tmp_path))
    got = prisma_counts(pg_store).to_json()
    got.pop("details")
    assert got == EXPECTED
