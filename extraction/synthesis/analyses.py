"""The meta-analysis use case: read the effects from a form's extraction, pool them, and render
the result as plain data (JSON) or Markdown lines (for the terminal and the brief).

>>> report = run_meta(store, EffectSpec("effect_estimate", se="effect_se"), form="obc")
>>> report.result.overall.estimate, report.skipped
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from extraction.storage import get_form
from extraction.synthesis.effects import EffectSpec, Skipped, collect_effects
from extraction.synthesis.forest import p_text
from extraction.synthesis.meta import MetaResult, Method, Model, Pooled, meta_analysis
from review.db import Store

SE_FROM_CI = "SE = (CI high − CI low) / (2 × 1.96), from a 95% confidence interval"
PI_FORMULA = "μ̂ ± t(0.975; k − 2) · √(τ̂² + SE(μ̂)²) (Higgins, Thompson & Spiegelhalter 2009)"


@dataclass(frozen=True)
class MetaReport:
    """A meta-analysis of one form's effect field, with the studies left out and why."""

    form: str
    form_version: int
    spec: EffectSpec
    result: MetaResult
    skipped: tuple[Skipped, ...]
    se_from_ci: bool

    @property
    def title(self) -> str:
        """The effect as a heading: the field's label and help."""
        return (
            self.result.effect
            if self.result.effect == self.spec.effect
            else (f"{self.spec.effect}: {self.result.effect}")
        )

    def to_json(self) -> dict[str, Any]:
        """Plain data for --json and scripts."""
        out = {
            "form": self.form,
            "form_version": self.form_version,
            "effect": self.spec.effect,
            "se": self.spec.se or None,
            "ci": [self.spec.ci_low, self.spec.ci_high] if self.se_from_ci else None,
            "se_rule": SE_FROM_CI if self.se_from_ci else "reported standard error",
            "where": dict(self.spec.where),
            "prediction_interval_rule": PI_FORMULA,
            "skipped": [asdict(s) for s in self.skipped],
        }
        out.update(asdict(self.result))
        return out


def run_meta(
    store: Store,
    spec: EffectSpec,
    *,
    form: str | None = None,
    model: Model = "random",
    method: Method = "dl",
) -> MetaReport:
    """Pool the effects of `spec` from the latest version of `form`."""
    fv = get_form(store, form)
    found = collect_effects(store, fv, spec)
    f = fv.form.field(spec.effect)
    label = f.help or f.label or spec.effect
    result = meta_analysis(found.effects, model=model, method=method, effect_name=label, by=spec.by)
    return MetaReport(fv.name, fv.version, spec, result, found.skipped, found.se_from_ci)


def md_text(text: str) -> str:
    """Data as Markdown text: one line, no control characters, markup characters escaped."""
    clean = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    for ch in "\\`*_[]<>|#":
        clean = clean.replace(ch, "\\" + ch)
    return clean


def _ci(p: Pooled) -> str:
    return f"{p.estimate:.3f} (95% CI {p.ci.low:.3f} to {p.ci.high:.3f})"


def pooled_lines(p: Pooled, *, title: str = "Pooled") -> list[str]:
    """A pooled estimate in a few plain sentences."""
    model = "fixed effect" if p.model == "fixed" else f"random effects, τ² by {p.method}"
    lines = [f"{title} ({model}, k = {p.k}): {_ci(p)}; z = {p.z:.2f}, {p_text(p.p)}"]
    het = f"Heterogeneity: Q = {p.q:.2f} (df {p.q_df}), {p_text(p.q_p)}; I² = {p.i2:.1f}%"
    if p.model == "random":
        het += f"; τ² = {p.tau2:.4f} (τ = {p.tau2**0.5:.3f})"
    lines.append(het)
    if p.prediction is not None:
        lines.append(f"95% prediction interval: {p.prediction.low:.3f} to {p.prediction.high:.3f}")
    return lines


def summary_markdown(report: MetaReport) -> list[str]:
    """The analysis as Markdown: the studies' table, the pooled result, subgroups, notes."""
    r = report.result
    out = [
        "| Study | Effect | SE | 95% CI | Weight |",
        "| --- | ---: | ---: | --- | ---: |",
    ]
    for s in r.studies:
        label = md_text(s.label)
        grp = f" ({md_text(s.group)})" if s.group else ""
        out.append(
            f"| {label}{grp} | {s.effect:.3f} | {s.se:.3f} | {s.ci.low:.3f} to {s.ci.high:.3f} "
            f"| {s.weight:.1f}% |"
        )
    out.append("")
    out.extend(f"{line}  " for line in pooled_lines(r.overall))
    for sg in r.subgroups:
        out.append("")
        if sg.pooled is None:
            s = sg.studies[0]
            out.append(f"- {r.by} = {md_text(sg.name)}: one study, {s.effect:.3f}")
        else:
            first, *rest = pooled_lines(sg.pooled, title=f"{r.by} = {md_text(sg.name)}")
            out.append(f"- {first}; {rest[0]}")
    if r.between is not None:
        b = r.between
        out.append("")
        out.append(f"Test for subgroup differences: Q = {b.q:.2f} (df {b.df}), {p_text(b.p)}")
    notes = list(r.notes)
    if report.se_from_ci:
        notes.append(SE_FROM_CI)
    if r.overall.prediction is not None:
        notes.append(f"prediction interval: {PI_FORMULA}")
    for sk in report.skipped:
        notes.append(f"left out {md_text(sk.label)}: {md_text(sk.reason)}")
    if notes:
        out.append("")
        out.extend(f"- {n}" for n in notes)
    return out
