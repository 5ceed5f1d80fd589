"""Inverse-variance meta-analysis on statsmodels (`statsmodels.stats.meta_analysis`).

`meta_analysis(effects, model=..., method=...)` pools one effect per study:

- fixed effect: inverse-variance weights 1/SE², the pooled estimate, its SE and a normal 95% CI;
- random effects: weights 1/(SE² + τ²), with τ² estimated by statsmodels' DerSimonian–Laird
  (`dl`, method_re="dl") or Paule–Mandel (`pm`, method_re="iterated"/"pm"). statsmodels has no
  REML estimator, so litsift offers none rather than call another estimator REML;
- heterogeneity: Cochran's Q, its χ² p-value (k − 1 df), I² = (Q − (k − 1)) / Q (Higgins &
  Thompson 2002, truncated at 0), τ² and τ;
- the 95% prediction interval of Higgins, Thompson & Spiegelhalter (2009), recommended by
  Riley, Higgins & Deeks (BMJ 2011): μ̂ ± t(0.975; k − 2) · √(τ̂² + SE(μ̂)²), for k ≥ 3;
- subgroups (`by`): each subgroup pooled with the same model, and the test for subgroup
  differences: Q_between = Σ_g w_g (μ̂_g − μ̂_w)², w_g = 1 / SE(μ̂_g)², on G − 1 df — computed
  by pooling the subgroup estimates with statsmodels' fixed-effect combine (its Q).

statsmodels' DL estimate is not truncated at zero; litsift clips a negative τ² to 0 (as every
published DL implementation does) and pools again with τ² = 0 (the fixed-effect weights).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from extraction.synthesis.effects import StudyEffect, StudyRef
from review.errors import InvalidInputError

Model = Literal["fixed", "random"]
Method = Literal["dl", "pm"]
METHODS = {"dl": "DerSimonian–Laird", "pm": "Paule–Mandel"}
_SM_METHOD = {"dl": "dl", "pm": "iterated"}


class TooFewStudiesError(InvalidInputError):
    """A meta-analysis needs at least two studies with an effect and a standard error."""

    title = "too few studies"


@dataclass(frozen=True)
class Interval:
    """A 95% interval."""

    low: float
    high: float


@dataclass(frozen=True)
class Pooled:
    """A pooled estimate with its heterogeneity statistics."""

    k: int
    model: str
    method: str  # "" for the fixed-effect model
    estimate: float
    se: float
    ci: Interval
    z: float
    p: float
    q: float
    q_df: int
    q_p: float
    i2: float  # percent
    tau2: float
    prediction: Interval | None  # random effects with k >= 3


@dataclass(frozen=True)
class StudyRow(StudyRef):
    """A study in the analysis: its effect, 95% CI and relative weight (percent)."""

    effect: float
    se: float
    ci: Interval
    weight: float
    group: str = ""


@dataclass(frozen=True)
class Subgroup:
    """One subgroup's pooled estimate."""

    name: str
    pooled: Pooled | None  # None when the subgroup has a single study
    studies: tuple[StudyRow, ...]


@dataclass(frozen=True)
class SubgroupTest:
    """The test for subgroup differences (between-subgroup Q)."""

    q: float
    df: int
    p: float


@dataclass(frozen=True)
class MetaResult:
    """The whole analysis: studies, the overall estimate, subgroups and their test."""

    effect: str
    studies: tuple[StudyRow, ...]
    overall: Pooled
    by: str = ""
    subgroups: tuple[Subgroup, ...] = ()
    between: SubgroupTest | None = None
    notes: tuple[str, ...] = field(default=())


def _pool(eff: np.ndarray, se: np.ndarray, model: Model, method: Method) -> tuple[Pooled, list]:
    """Pool with statsmodels; returns the result and each study's relative weight."""
    from scipy import stats  # statsmodels and SciPy load here, not with every CLI command
    from statsmodels.stats.meta_analysis import combine_effects

    var = se**2
    with np.errstate(invalid="ignore"):  # a negative DL τ² (clipped below) warns in sqrt
        res = combine_effects(eff, var, method_re=_SM_METHOD[method], use_t=False)
        ci_fe, ci_re = res.conf_int(use_t=False)[:2]
    k = len(eff)
    tau2 = float(res.tau2)
    if model == "random" and tau2 < 0:  # statsmodels' DL is not truncated at zero
        tau2 = 0.0
    if model == "fixed" or res.tau2 < 0:
        est, sd, w = float(res.mean_effect_fe), float(res.sd_eff_w_fe), res.weights_rel_fe
        ci = ci_fe
        tau2_out = 0.0
    else:
        est, sd, w = float(res.mean_effect_re), float(res.sd_eff_w_re), res.weights_rel_re
        ci = ci_re
        tau2_out = tau2
    q = float(res.q)
    hom = res.test_homogeneity()
    z = est / sd
    pi = None
    if model == "random" and k >= 3:
        pi = prediction_interval(est, sd, tau2_out, k)
    pooled = Pooled(
        k=k,
        model=model,
        method=METHODS[method] if model == "random" else "",
        estimate=est,
        se=sd,
        ci=Interval(float(ci[0]), float(ci[1])),
        z=z,
        p=float(2 * stats.norm.sf(abs(z))),
        q=q,
        q_df=k - 1,
        q_p=float(hom.pvalue),
        i2=max(0.0, float(res.i2)) * 100 if q > 0 else 0.0,
        tau2=tau2_out,
        prediction=pi,
    )
    return pooled, [float(x) * 100 for x in w]


def prediction_interval(estimate: float, se: float, tau2: float, k: int) -> Interval:
    """Higgins, Thompson & Spiegelhalter (2009) 95% prediction interval:
    μ̂ ± t(0.975; k − 2) · √(τ̂² + SE(μ̂)²) (needs k ≥ 3)."""
    if k < 3:
        raise InvalidInputError("a prediction interval needs at least 3 studies")
    from scipy import stats

    half = float(stats.t.ppf(0.975, k - 2)) * math.sqrt(tau2 + se**2)
    return Interval(estimate - half, estimate + half)


def _rows(effects: Sequence[StudyEffect], weights: list[float]) -> tuple[StudyRow, ...]:
    return tuple(
        StudyRow(
            e.study,
            e.label,
            e.effect,
            e.se,
            Interval(e.effect - 1.959963984540054 * e.se, e.effect + 1.959963984540054 * e.se),
            w,
            e.group,
        )
        for e, w in zip(effects, weights, strict=True)
    )


def meta_analysis(
    effects: Sequence[StudyEffect],
    *,
    model: Model = "random",
    method: Method = "dl",
    effect_name: str = "effect",
    by: str = "",
) -> MetaResult:
    """Pool one effect per study (see the module doc); subgroups when the effects carry a
    `group` and `by` names the field."""
    if model not in ("fixed", "random"):
        raise InvalidInputError(
            f"model {model!r}: use fixed or random", hint="--model fixed or --model random"
        )
    if method not in METHODS:
        hint = "use dl (DerSimonian–Laird) or pm (Paule–Mandel)"
        if str(method).lower() == "reml":
            raise InvalidInputError(
                "REML is not available: statsmodels' meta-analysis, which litsift uses, "
                "estimates τ² by DerSimonian–Laird or Paule–Mandel only",
                hint=f"{hint}; Paule–Mandel is the iterative estimator closest in spirit",
            )
        raise InvalidInputError(f"method {method!r} is unknown", hint=hint)
    if len(effects) < 2:
        raise TooFewStudiesError(
            f"a meta-analysis needs at least 2 studies with an effect and its uncertainty; "
            f"found {len(effects)}",
            hint="extract the effect and its SE (or CI) for more studies, or loosen --where",
        )
    eff = np.array([e.effect for e in effects], dtype=float)
    se = np.array([e.se for e in effects], dtype=float)
    overall, weights = _pool(eff, se, model, method)
    rows = _rows(effects, weights)
    notes: list[str] = []
    if not by:
        return MetaResult(effect_name, rows, overall, notes=tuple(notes))
    subgroups: list[Subgroup] = []
    names = list(dict.fromkeys(sorted(e.group for e in effects)))
    for name in names:
        idx = [i for i, e in enumerate(effects) if e.group == name]
        if len(idx) < 2:
            subgroups.append(Subgroup(name, None, (rows[idx[0]],)))
            continue
        p, _ = _pool(eff[idx], se[idx], model, method)
        # rows keep their weight in the overall analysis (as RevMan shows them)
        subgroups.append(Subgroup(name, p, tuple(rows[i] for i in idx)))
    between = _between(subgroups)
    if between is None:
        notes.append("the test for subgroup differences needs at least two subgroups")
    return MetaResult(effect_name, rows, overall, by, tuple(subgroups), between, tuple(notes))


def _between(subgroups: list[Subgroup]) -> SubgroupTest | None:
    """Between-subgroup Q of the subgroup estimates (a one-study subgroup enters with its own
    effect and SE, as in RevMan)."""
    est = [
        (s.pooled.estimate, s.pooled.se) if s.pooled else (s.studies[0].effect, s.studies[0].se)
        for s in subgroups
    ]
    if len(est) < 2:
        return None
    from scipy import stats
    from statsmodels.stats.meta_analysis import combine_effects

    res = combine_effects(np.array([e for e, _ in est]), np.array([v**2 for _, v in est]), "dl")
    df = len(est) - 1
    return SubgroupTest(float(res.q), df, float(stats.chi2.sf(res.q, df)))
