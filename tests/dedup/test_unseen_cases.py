"""Hand-made cases of the dedup literature through the real service (import + dedup): what
must never be merged automatically stays apart, and copies of one article are merged or at
least queued (see tests/dedup/unseen_cases.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dedup.unseen_cases import CASES, Case, verdict

# cases the engine still gets wrong (each fix removes its cases from here)
KNOWN_WRONG: set[str] = set()


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, id=c.name, marks=pytest.mark.xfail(strict=True))
        if c.name in KNOWN_WRONG
        else pytest.param(c, id=c.name)
        for c in CASES
    ],
)
def test_case_through_the_service(case: Case, tmp_path: Path) -> None:
    decision, reason = verdict(case, tmp_path)
    if case.expect == "apart":
        assert decision != "merged", reason
    elif case.expect == "merge":
        assert decision == "merged", reason
    else:
        assert decision in ("merged", "queued"), reason
