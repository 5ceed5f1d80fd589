"""Meta-analysis numbers against a published worked example.

The BCG vaccine trials (Colditz et al. 1994, JAMA 271:698-702): 13 trials, log risk ratios of
tuberculosis, vaccinated vs not, from the 2×2 counts as in metafor's `dat.bcg`
(`escalc(measure="RR", ...)`). The published figures are those metafor's own test suite checks
against Stata's `metan` (tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r):

- fixed effect (`rma(yi, vi, method="FE")`): −0.4303, 95% CI −0.5097 to −0.3509,
  z = −10.6247, Q = 152.2330;
- random effects, DerSimonian–Laird (`method="DL"`): −0.7141, 95% CI −1.0644 to −0.3638,
  z = −3.9952, τ² = 0.3088, I² = 92.1173%.

They are matched here to the published precision (4 decimals).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from scipy import stats

from extraction.synthesis.effects import StudyEffect
from extraction.synthesis.meta import (
    TooFewStudiesError,
    meta_analysis,
    prediction_interval,
)
from review.errors import InvalidInputError

# metafor's dat.bcg (Colditz et al. 1994): trial, tpos, tneg, cpos, cneg, alloc
BCG_CSV = Path(__file__).resolve().parents[1] / "data" / "dat_bcg.csv"


def bcg_effects() -> list[StudyEffect]:
    with BCG_CSV.open(newline="", encoding="utf-8") as f:
        trials = list(csv.DictReader(f))
    out = []
    for i, t in enumerate(trials, 1):
        name, alloc = t["trial"], t["alloc"]
        a, b, c, d = (int(t[k]) for k in ("tpos", "tneg", "cpos", "cneg"))
        log_rr = math.log((a / (a + b)) / (c / (c + d)))
        var = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
        out.append(StudyEffect(i, name, log_rr, math.sqrt(var), alloc))
    return out


def r4(x: float) -> float:
    return round(x, 4)


def test_bcg_fixed_effect_matches_the_published_figures() -> None:
    o = meta_analysis(bcg_effects(), model="fixed").overall
    assert r4(o.estimate) == -0.4303
    assert (r4(o.ci.low), r4(o.ci.high)) == (-0.5097, -0.3509)
    assert r4(o.z) == -10.6247
    assert r4(o.q) == 152.2330
    assert o.q_df == 12 and o.tau2 == 0 and o.prediction is None


def test_bcg_random_effects_dersimonian_laird_matches_the_published_figures() -> None:
    o = meta_analysis(bcg_effects(), model="random", method="dl").overall
    assert r4(o.estimate) == -0.7141
    assert (r4(o.ci.low), r4(o.ci.high)) == (-1.0644, -0.3638)
    assert r4(o.z) == -3.9952
    assert r4(o.tau2) == 0.3088
    assert r4(o.i2) == 92.1173
    assert o.method == "DerSimonian–Laird"


def test_weights_are_inverse_variance_and_add_to_100() -> None:
    eff = bcg_effects()
    fe = meta_analysis(eff, model="fixed")
    re_ = meta_analysis(eff, model="random")
    assert sum(s.weight for s in fe.studies) == pytest.approx(100)
    assert sum(s.weight for s in re_.studies) == pytest.approx(100)
    inv = [1 / e.se**2 for e in eff]
    assert fe.studies[7].weight == pytest.approx(100 * inv[7] / sum(inv))  # TPT Madras
    # random effects spread the weight: the largest trial counts for less
    assert re_.studies[7].weight < fe.studies[7].weight


def test_paule_mandel_solves_its_estimating_equation() -> None:
    """Paule–Mandel τ² makes the generalised Q (weights 1/(v + τ²)) equal k − 1."""
    eff = bcg_effects()
    o = meta_analysis(eff, model="random", method="pm").overall
    w = [1 / (e.se**2 + o.tau2) for e in eff]
    mu = sum(wi * e.effect for wi, e in zip(w, eff, strict=True)) / sum(w)
    q_gen = sum(wi * (e.effect - mu) ** 2 for wi, e in zip(w, eff, strict=True))
    assert q_gen == pytest.approx(len(eff) - 1, abs=1e-3)
    assert o.estimate == pytest.approx(mu)
    assert o.method == "Paule–Mandel"


def test_prediction_interval_is_higgins_thompson_spiegelhalter() -> None:
    """μ̂ ± t(0.975; k − 2) · √(τ̂² + SE(μ̂)²), with k − 2 = 11 degrees of freedom here."""
    o = meta_analysis(bcg_effects()).overall
    assert o.prediction is not None
    half = stats.t.ppf(0.975, 11) * math.sqrt(o.tau2 + o.se**2)
    assert o.prediction.low == pytest.approx(o.estimate - half)
    assert o.prediction.high == pytest.approx(o.estimate + half)
    # from the published DL figures: τ² = 0.3088 and SE = (−0.3638 − −1.0644) / (2 · 1.96)
    se_pub = (1.0644 - 0.3638) / (2 * 1.959964)
    pub = prediction_interval(-0.7141, se_pub, 0.3088, 13)
    assert pub.low == pytest.approx(o.prediction.low, abs=5e-4)
    assert pub.high == pytest.approx(o.prediction.high, abs=5e-4)
    with pytest.raises(InvalidInputError):
        prediction_interval(0.0, 0.1, 0.0, 2)


def test_subgroups_and_the_between_subgroup_test() -> None:
    r = meta_analysis(bcg_effects(), by="alloc")
    names = [s.name for s in r.subgroups]
    assert names == ["alternate", "random", "systematic"]
    assert [len(s.studies) for s in r.subgroups] == [2, 7, 4]
    # each subgroup is its own random-effects analysis
    random_only = [e for e in bcg_effects() if e.group == "random"]
    alone = meta_analysis(random_only).overall
    sub = r.subgroups[1].pooled
    assert sub is not None and sub.estimate == pytest.approx(alone.estimate)
    # between-subgroup Q: Σ w_g (μ_g − μ_w)², w_g = 1 / SE_g², on G − 1 df
    ps = [s.pooled for s in r.subgroups]
    w = [1 / p.se**2 for p in ps if p]
    mu = sum(wi * p.estimate for wi, p in zip(w, ps, strict=True) if p) / sum(w)
    q = sum(wi * (p.estimate - mu) ** 2 for wi, p in zip(w, ps, strict=True) if p)
    assert r.between is not None
    assert r.between.q == pytest.approx(q) and r.between.df == 2
    assert r.between.p == pytest.approx(stats.chi2.sf(q, 2))


def test_no_heterogeneity_gives_tau2_zero_not_negative() -> None:
    eff = [StudyEffect(i, f"s{i}", 0.2, 0.1) for i in range(1, 4)]
    o = meta_analysis(eff).overall
    assert o.tau2 == 0 and o.i2 == 0
    assert o.estimate == pytest.approx(0.2)


def test_errors_are_clear() -> None:
    with pytest.raises(TooFewStudiesError, match="at least 2 studies"):
        meta_analysis(bcg_effects()[:1])
    with pytest.raises(InvalidInputError, match="REML is not available") as e:
        meta_analysis(bcg_effects(), method="reml")  # type: ignore[arg-type]
    assert e.value.hint and "pm" in e.value.hint
    with pytest.raises(InvalidInputError, match="model"):
        meta_analysis(bcg_effects(), model="mixed")  # type: ignore[arg-type]
