"""Property tests of precision first: recurring items never merge, every pair inside a
cluster passes the merge rule, and the hard near-copies reach at least the queue."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from review.dedup.engine import AUTO_THRESHOLD, find_duplicates
from review.dedup.normalize import prepare_all
from review.dedup.scoring import score_pair
from tests.dedup.strategies import hard_variants, perturbed, records, recurring_items


@settings(max_examples=150, deadline=None)
@given(recurring_items())
def test_a_recurring_item_never_merges(items: list[dict[str, Any]]) -> None:
    result = find_duplicates(items)
    assert result.clusters == [], [p.reason for p in result.pairs if p.decision == "merged"]


@st.composite
def messy_file(draw: Any) -> list[dict[str, Any]]:
    """Publications, their copies, and recurring items side by side, shuffled."""
    out: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 4))):
        rec = draw(records())
        out.append(rec)
        out.extend(draw(perturbed(rec)) for _ in range(draw(st.integers(0, 3))))
    if draw(st.booleans()):
        out.extend(draw(recurring_items()))
    return draw(st.permutations(out))


@settings(max_examples=80, deadline=None)
@given(messy_file())
def test_every_pair_inside_a_cluster_passes_the_merge_rule(recs: list[dict[str, Any]]) -> None:
    result = find_duplicates(recs)
    prepared = prepare_all(recs)
    for members in result.clusters:
        for i, j in itertools.combinations(sorted(members), 2):
            s = score_pair(prepared[i], prepared[j])
            assert s.mergeable(AUTO_THRESHOLD), (i, j, s.reason)


@st.composite
def record_and_hard_variant(draw: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    rec = draw(records())
    kind, variant = draw(hard_variants(rec))
    return kind, rec, variant


@settings(max_examples=150, deadline=None)
@given(record_and_hard_variant())
def test_hard_near_copies_are_merged_or_queued(case: tuple[str, dict, dict]) -> None:
    kind, rec, variant = case
    result = find_duplicates([rec, variant])
    if result.clusters:
        assert kind != "erratum"  # an erratum is linked for a person, never merged
        return
    verdicts = {(p.i, p.j): p for p in result.pairs}
    assert (0, 1) in verdicts, f"{kind}: never compared"
    p = verdicts[(0, 1)]
    assert p.decision == "queued", f"{kind}: {p.decision} {p.score} {p.reason}"
