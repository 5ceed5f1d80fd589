"""The effect estimates of a review's studies, read from the extraction for a meta-analysis.

One value per study and field, by the rule of `settled.py` (the reconciled consensus, else the
only reviewer's value, else the value both reviewers agree on or the decided one); an effect the
reviewers disagree on, undecided, leaves the study out with a reason (`Skipped`).

Effects in a repeating group (one row per outcome × time point) are read row by row; `where`
(`FIELD=VALUE` on the group's columns or on study-level fields) picks the rows, and a study with
more than one matching row is refused (the analysis needs one effect per study).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from extraction.forms import FieldDef, FormDef, coerce, format_value
from extraction.reconcile import same
from extraction.storage import FormVersion
from extraction.synthesis.settled import StudyValues, settled_values
from review.db import Store
from review.errors import InvalidInputError

Z95 = 1.96  # the normal quantile used to turn a reported 95% CI into a standard error


@dataclass(frozen=True)
class StudyRef:
    """A study as an analysis names it: its id and its label (`short_label`)."""

    study: int
    label: str


@dataclass(frozen=True)
class StudyEffect(StudyRef):
    """One study's effect estimate and its standard error."""

    effect: float
    se: float
    group: str = ""  # the --by value ("" when not split)


@dataclass(frozen=True)
class Skipped(StudyRef):
    """A study left out of the analysis, and why."""

    reason: str


@dataclass(frozen=True)
class EffectSpec:
    """Which fields hold the effect and its uncertainty (`se`, or a 95% CI `ci_low`/`ci_high`,
    from which SE = (high − low) / (2 × 1.96)), and how to select and split rows."""

    effect: str
    se: str = ""
    ci_low: str = ""
    ci_high: str = ""
    by: str = ""
    where: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Effects:
    """The studies with an effect and the ones left out."""

    effects: tuple[StudyEffect, ...]
    skipped: tuple[Skipped, ...]
    se_from_ci: bool


def parse_where(items: list[str] | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`FIELD=VALUE` strings as pairs (InvalidInputError for a malformed one)."""
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(
                f"--where {item!r}: write FIELD=VALUE",
                hint="e.g. --where outcomes.time_point_months=12",
            )
        out.append((name.strip(), value.strip()))
    return tuple(out)


def short_label(study: int, name: str) -> str:
    """A study's plot and table label: `S<id> <name>`, the name cut to 40 characters."""
    name = " ".join(name.split())
    name = name if len(name) <= 40 else name[:39].rstrip() + "…"
    return f"S{study} {name}".strip()


def _numeric(form: FormDef, path: str, what: str) -> FieldDef:
    f = form.field(path)
    if f.type not in ("number", "integer"):
        raise InvalidInputError(
            f"{what} field {path!r} is {f.type}, not a number",
            hint=f"`litsift form show {form.name}` lists the number fields",
        )
    return f


def _scopes(spec: EffectSpec, form: FormDef) -> str:
    """The group the numeric fields live in ("" for study level); all must share it."""
    names = [spec.effect, spec.se, spec.ci_low, spec.ci_high]
    groups = {p.split(".", 1)[0] if "." in p else "" for p in names if p}
    if len(groups) > 1:
        raise InvalidInputError(
            "the effect and its uncertainty must be in the same place (all study-level "
            "fields, or all columns of one repeating group)",
            hint=f"`litsift form show {form.name}`",
        )
    return groups.pop()


def _rows_of(s: StudyValues, group: str) -> list[dict[str, Any]]:
    """A study's rows as {path: value}; study-level values are in every row (one row when the
    effect is not in a group)."""
    top = {k: v for k, v in s.values.items() if v is not None}
    if not group:
        return [top]
    out = []
    for row in s.rows.get(group, []):
        cells = dict(top)
        cells.update({f"{group}.{k}": v for k, v in row.items() if v is not None})
        out.append(cells)
    return out


def _matches(form: FormDef, cells: dict[str, Any], where: tuple[tuple[str, str], ...]) -> bool:
    for path, raw in where:
        f = form.field(path)
        have = cells.get(path)
        try:
            want = coerce(f, raw)
        except ValueError as e:
            raise InvalidInputError(
                f"--where {path}={raw}: {e}",
                hint=f"`litsift form show {form.name}` lists each field's allowed values",
            ) from None
        if have is None or not same(have, want):
            return False
    return True


def _group_value(form: FormDef, by: str, cells: dict[str, Any]) -> str:
    v = cells.get(by)
    if v is None:
        return "(not reported)"
    if isinstance(v, list):
        return "; ".join(map(str, v)) if v else "(not reported)"
    f = form.field(by)
    labels = {c.value: c.label for c in f.choices}
    return labels.get(str(v), format_value(v))


def _check_fields(form: FormDef, spec: EffectSpec) -> str:
    if not spec.se and not (spec.ci_low and spec.ci_high):
        raise InvalidInputError(
            "give the effect's uncertainty: --se FIELD, or --ci LOW HIGH (a 95% CI)",
            hint=f"`litsift form show {form.name}` lists the number fields",
        )
    if spec.se and (spec.ci_low or spec.ci_high):
        raise InvalidInputError(
            "give --se or --ci, not both", hint="--ci derives the SE; drop one of the two"
        )
    _numeric(form, spec.effect, "effect")
    for p, what in ((spec.se, "SE"), (spec.ci_low, "CI low"), (spec.ci_high, "CI high")):
        if p:
            _numeric(form, p, what)
    group = _scopes(spec, form)
    for path, _ in spec.where:
        form.field(path)
    if spec.by:
        f = form.field(spec.by)
        if f.is_group:
            raise InvalidInputError(
                f"--by {spec.by}: a group cannot split studies",
                hint="name a field, or a column of the group as GROUP.COLUMN",
            )
    return group


def _uncertainty(spec: EffectSpec, cells: dict[str, Any]) -> tuple[float | None, str]:
    """The SE of a row, or None with the reason it is missing or unusable."""
    if spec.se:
        se = cells.get(spec.se)
        if se is None:
            return None, f"no {spec.se}"
        se = float(se)
    else:
        lo, hi = cells.get(spec.ci_low), cells.get(spec.ci_high)
        if lo is None or hi is None:
            return None, f"no {spec.ci_low if lo is None else spec.ci_high}"
        if float(hi) <= float(lo):
            return None, f"CI {format_value(lo)}..{format_value(hi)} is empty"
        se = (float(hi) - float(lo)) / (2 * Z95)
    if not math.isfinite(se) or se <= 0:
        return None, f"standard error {format_value(se)} is not positive"
    return se, ""


def collect_effects(store: Store, fv: FormVersion, spec: EffectSpec) -> Effects:
    """Every study's effect under `spec`, from the settled values (`settled.py`: the rule
    `synth table` and `synth map` count by); studies with no effect are not listed, studies
    with an effect but no usable SE, or an unsettled effect, are in `skipped`."""
    form = fv.form
    group = _check_fields(form, spec)
    _, studies = settled_values(store, fv.name)
    effects: list[StudyEffect] = []
    skipped: list[Skipped] = []
    needed = {spec.effect, spec.se, spec.ci_low, spec.ci_high} - {""}
    for sv in studies:
        label = short_label(sv.study, sv.name)
        clash = sorted(needed & set(sv.unsettled))
        hits = [c for c in _rows_of(sv, group) if _matches(form, c, spec.where)]
        with_effect = [c for c in hits if c.get(spec.effect) is not None]
        if spec.effect in clash and not with_effect:
            skipped.append(
                Skipped(
                    sv.study,
                    label,
                    f"reviewers disagree on {spec.effect}: reconcile (`litsift extract reconcile`)",
                )
            )
            continue
        if not with_effect:
            continue
        if len(with_effect) > 1:
            skipped.append(
                Skipped(
                    sv.study,
                    label,
                    f"{len(with_effect)} rows of {group} have an effect: narrow with --where",
                )
            )
            continue
        cells = with_effect[0]
        se, why = _uncertainty(spec, cells)
        if se is None:
            if clash:
                why += f" (reviewers disagree on {', '.join(clash)}: reconcile)"
            skipped.append(Skipped(sv.study, label, why))
            continue
        grp = _group_value(form, spec.by, cells) if spec.by else ""
        effects.append(StudyEffect(sv.study, label, float(cells[spec.effect]), se, grp))
    return Effects(tuple(effects), tuple(skipped), se_from_ci=not spec.se)
