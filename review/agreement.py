"""Inter-rater agreement of screening: Cohen's kappa and percent agreement per stage and
reviewer pair, Fleiss' kappa when more than two reviewers screened a stage.

Each reviewer's standing decision counts (see `review.consensus`), as a binary judgement:
exclude, or include (include and maybe: both send the record on to the next stage). The 2×2
counts behind every pair's figures are reported with them. The statistics come from
scikit-learn (`cohen_kappa_score`) and statsmodels (`fleiss_kappa`), imported only when there
is something to compute. Kappa is None where it is undefined: when chance agreement is
already perfect (both reviewers put every shared record in one class).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from review.consensus import standing_votes
from review.db import Store
from review.decisions import check_stage
from review.models import STAGES


def forward(label: str) -> int:
    """1 when a decision sends the record on (include, maybe), 0 when it excludes it."""
    return 0 if label == "exclude" else 1


@dataclass
class PairAgreement:
    """Two reviewers' agreement on the records both decided at a stage, with its 2×2 table."""

    reviewer_a: str
    reviewer_b: str
    n: int
    both_include: int
    a_include_b_exclude: int
    a_exclude_b_include: int
    both_exclude: int
    percent_agreement: float | None
    cohen_kappa: float | None


@dataclass
class FleissAgreement:
    """Fleiss' kappa over the records that had `raters_per_record` decisions."""

    reviewers: list[str]
    raters_per_record: int
    n: int
    kappa: float | None


@dataclass
class StageAgreement:
    """Agreement at one stage."""

    stage: str
    reviewers: list[str]
    pairs: list[PairAgreement] = field(default_factory=list)
    fleiss: FleissAgreement | None = None


def _nan_to_none(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def pair_agreement(a_name: str, b_name: str, a: list[int], b: list[int]) -> PairAgreement:
    """Agreement of two reviewers' binary decisions on the same records (same order)."""
    n = len(a)
    cells = Counter(zip(a, b, strict=True))
    pair = PairAgreement(
        a_name,
        b_name,
        n,
        cells[(1, 1)],
        cells[(1, 0)],
        cells[(0, 1)],
        cells[(0, 0)],
        None,
        None,
    )
    if n == 0:
        return pair
    pair.percent_agreement = 100.0 * (cells[(1, 1)] + cells[(0, 0)]) / n
    p_a, p_b = sum(a) / n, sum(b) / n
    if p_a * p_b + (1 - p_a) * (1 - p_b) < 1:  # otherwise kappa is 0/0
        from sklearn.metrics import cohen_kappa_score

        pair.cohen_kappa = _nan_to_none(float(cohen_kappa_score(a, b, labels=[0, 1])))
    return pair


def fleiss(ratings: list[dict[str, int]]) -> FleissAgreement | None:
    """Fleiss' kappa over the records with the most common number (≥ 2) of decisions; each
    item of `ratings` maps one record's reviewers to their binary decisions. None unless
    more than two reviewers decided those records."""
    counts = Counter(len(r) for r in ratings if len(r) >= 2)
    if not counts:
        return None
    m = max(counts, key=lambda k: (counts[k], k))
    subjects = [r for r in ratings if len(r) == m]
    reviewers = sorted({name for r in subjects for name in r})
    if len(reviewers) <= 2:
        return None
    table = [[list(r.values()).count(0), list(r.values()).count(1)] for r in subjects]
    from statsmodels.stats.inter_rater import fleiss_kappa

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 when one class only
        kappa = _nan_to_none(float(fleiss_kappa(table, method="fleiss")))
    return FleissAgreement(reviewers, m, len(table), kappa)


def stage_agreement(store: Store, stage: str) -> StageAgreement:
    """Agreement at `stage` for every pair of reviewers who decided a record in common."""
    votes = standing_votes(store, check_stage(stage))
    by_reviewer: dict[str, dict[int, int]] = {}
    for rid, vs in votes.items():
        for v in vs:
            by_reviewer.setdefault(v.reviewer, {})[rid] = forward(v.label)
    names = sorted(by_reviewer)
    out = StageAgreement(stage, names)
    for a, b in combinations(names, 2):
        common = sorted(by_reviewer[a].keys() & by_reviewer[b].keys())
        if common:
            out.pairs.append(
                pair_agreement(
                    a, b, [by_reviewer[a][r] for r in common], [by_reviewer[b][r] for r in common]
                )
            )
    if len(names) > 2:
        out.fleiss = fleiss([{v.reviewer: forward(v.label) for v in vs} for vs in votes.values()])
    return out


def agreement(store: Store, *, stage: str | None = None) -> list[StageAgreement]:
    """Agreement at `stage`, or at every stage."""
    return [stage_agreement(store, st) for st in ([stage] if stage else list(STAGES))]


def to_json(report: list[StageAgreement]) -> dict[str, Any]:
    """The report as plain data."""
    from dataclasses import asdict

    return {"stages": [asdict(s) for s in report]}
