"""Property tests: a perturbed copy is always found; an unrelated record never merged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from review.dedup.engine import AUTO_THRESHOLD, QUEUE_THRESHOLD, find_duplicates
from review.dedup.normalize import prepare
from review.dedup.scoring import score_pair
from tests.dedup.strategies import perturbed, records


@st.composite
def record_and_copy(draw: Any, truncate: bool = True) -> tuple[dict, dict]:
    rec = draw(records())
    return rec, draw(perturbed(rec, truncate=truncate))


@pytest.mark.parametrize(
    ("truncate", "threshold"),
    [
        pytest.param(False, AUTO_THRESHOLD, id="a-copy-is-merged-automatically"),
        pytest.param(True, QUEUE_THRESHOLD, id="a-truncated-copy-is-at-least-queued"),
    ],
)
@settings(max_examples=150)
@given(data=st.data())
def test_a_perturbed_copy_scores_at_least(truncate: bool, threshold: float, data: Any) -> None:
    rec, copy = data.draw(record_and_copy(truncate=truncate))
    s = score_pair(prepare(rec), prepare(copy))
    assert s.score >= threshold and not s.conflict, s.reason


@settings(max_examples=150)
@given(records(), records())
def test_an_unrelated_record_is_never_merged(a: dict, b: dict) -> None:
    wa, wb = set(a["title"].lower().split()), set(b["title"].lower().split())
    assume(len(wa ^ wb) >= 4)
    # a different publication cannot share journal, volume and first page (its citation)
    assume(
        (a["journal"], a["volume"], a["pages"].split("-")[0])
        != (b["journal"], b["volume"], b["pages"].split("-")[0])
    )
    s = score_pair(prepare(a), prepare(b))
    assert s.score < AUTO_THRESHOLD, s.reason


@settings(max_examples=30)
@given(st.lists(record_and_copy(truncate=False), min_size=2, max_size=6))
def test_pipeline_clusters_each_record_with_its_copy(pairs: list[tuple[dict, dict]]) -> None:
    titles = [set(a["title"].lower().split()) for a, _ in pairs]
    cites = [(a["journal"], a["volume"], a["pages"].split("-")[0]) for a, _ in pairs]
    for i in range(len(titles)):
        for j in range(i + 1, len(titles)):
            assume(len(titles[i] ^ titles[j]) >= 4 and cites[i] != cites[j])
    recs = [r for pair in pairs for r in pair]
    result = find_duplicates(recs)
    got = sorted(sorted(c) for c in result.clusters)
    assert got == [[2 * k, 2 * k + 1] for k in range(len(pairs))]
