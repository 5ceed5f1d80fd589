"""`litsift synth meta` (meta-analysis with a forest plot) and `litsift synth brief` (an evidence
brief): registered on the `synth` group by `register(app)`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from extraction.synthesis.analyses import (
    PI_FORMULA,
    SE_FROM_CI,
    MetaReport,
    pooled_lines,
    run_meta,
)
from extraction.synthesis.brief import BriefSpec, brief_targets, write_brief
from extraction.synthesis.effects import EffectSpec, parse_where
from extraction.synthesis.forest import p_text, render_forest
from review.errors import InvalidInputError
from review.output import check_targets, database_files
from tui.common import FormOption, err_console, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

ForceOption = Annotated[bool, typer.Option("--force", help="Replace --out if it exists.")]


def _warn(text: str) -> None:
    err_console.print(Text.assemble(("warning:", "yellow"), " ", safe_text(text)))


def _say(text: str) -> None:
    out_console.print(safe_text(text))


@review_command()
def meta(
    call: ReviewCall,
    effect: Annotated[str, typer.Option("--effect", help="Number field with the effect.")],
    se: Annotated[
        str | None, typer.Option("--se", help="Number field with its standard error.")
    ] = None,
    ci: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--ci",
            help="Fields with the 95% CI's low and high ends; SE = (high - low) / (2 x 1.96).",
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", help="fixed or random.")] = "random",
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="tau² estimator: dl (DerSimonian-Laird) or pm (Paule-Mandel). statsmodels, "
            "which litsift uses, has no REML.",
        ),
    ] = "dl",
    by: Annotated[str | None, typer.Option("--by", help="Split into subgroups by a field.")] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            help="Keep rows where FIELD=VALUE (repeatable); picks the rows of a repeating "
            "group, e.g. --where outcomes.time_point_months=12.",
        ),
    ] = None,
    out: Annotated[
        str | None, typer.Option("--out", help="Write a forest plot (.svg, .png or .pdf).")
    ] = None,
    force: ForceOption = False,
    form: FormOption = None,
) -> None:
    """Meta-analysis of one effect per study: inverse-variance fixed or random effects
    (statsmodels), Q, I², τ², the 95% prediction interval, subgroups, a forest plot."""
    if model not in ("fixed", "random"):
        raise InvalidInputError(
            f"--model {model!r}: use fixed or random", hint="--model fixed or --model random"
        )
    store = call.store
    spec = EffectSpec(
        effect=effect,
        se=se or "",
        ci_low=ci[0] if ci else "",
        ci_high=ci[1] if ci else "",
        by=by or "",
        where=parse_where(where or []),
    )
    target = Path(out) if out else None
    if target is not None:
        check_targets([target], force=force, protect=database_files(store.path))
    report = run_meta(store, spec, form=form, model=model, method=method)  # type: ignore[arg-type]
    if target is not None:
        render_forest(report.result, target, title=f"{report.form}: {effect}")
    for sk in report.skipped:
        _warn(f"left out {sk.label}: {sk.reason}")
    data = report.to_json()
    data["plot"] = str(target) if target else None
    call.answer(data, lambda: _show(report, target))


def _show(report: MetaReport, target: Path | None) -> None:
    r = report.result
    table = Table(show_edge=False, pad_edge=False)
    # the numbers keep their width; the study's title gives way on a narrow terminal
    table.add_column("study", no_wrap=True, overflow="ellipsis", max_width=22 if r.by else 34)
    table.add_column("effect", justify="right", no_wrap=True, min_width=6)
    table.add_column("SE", justify="right", no_wrap=True, min_width=5)
    table.add_column("95% CI", no_wrap=True, min_width=16)
    table.add_column("weight", justify="right", no_wrap=True, min_width=6)
    if r.by:
        table.add_column(r.by, no_wrap=True, overflow="ellipsis", min_width=6)
    for s in r.studies:
        cells: list[Text | str] = [
            safe_text(s.label, single_line=True),
            f"{s.effect:.3f}",
            f"{s.se:.3f}",
            f"[{s.ci.low:.3f}, {s.ci.high:.3f}]",
            f"{s.weight:.1f}%",
        ]
        if r.by:
            cells.append(safe_text(s.group, single_line=True))
        table.add_row(*cells)
    out_console.print(table)
    for line in pooled_lines(r.overall):
        _say(line)
    for sg in r.subgroups:
        if sg.pooled is None:
            _say(f"  {r.by} = {sg.name}: one study ({sg.studies[0].effect:.3f})")
        else:
            _say("  " + pooled_lines(sg.pooled, title=f"{r.by} = {sg.name}")[0])
    if r.between is not None:
        b = r.between
        _say(f"Subgroup differences: Q = {b.q:.2f} (df {b.df}), {p_text(b.p)}")
    for note in r.notes:
        _say(f"note: {note}")
    if report.se_from_ci:
        _say(f"note: {SE_FROM_CI}")
    if r.overall.prediction is not None:
        _say(f"note: prediction interval {PI_FORMULA}")
    if target is not None:
        err_console.print(Text("wrote ") + safe_text(str(target), single_line=True))


@review_command()
def brief(
    call: ReviewCall,
    out: Annotated[str, typer.Option("--out", help="brief.md (images beside it) or brief.html.")],
    form: FormOption = None,
    map_rows: Annotated[
        str | None,
        typer.Option(
            "--map-rows", help="Map rows (default: the form's first country or choice field)."
        ),
    ] = None,
    map_cols: Annotated[
        str | None, typer.Option("--map-cols", help="Map columns (default: the next one).")
    ] = None,
    fields: Annotated[
        str | None,
        typer.Option(
            "--fields",
            help="Summary table fields, comma-separated (default: the "
            "required country/choice fields and the effects).",
        ),
    ] = None,
    effect: Annotated[
        str | None, typer.Option("--effect", help="Effect field (default: each X with X_se).")
    ] = None,
    se: Annotated[str | None, typer.Option("--se", help="Its standard error field.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Subgroups of the meta-analyses.")] = None,
    force: ForceOption = False,
) -> None:
    """An evidence brief: PRISMA counts, the evidence map, the included studies and the
    meta-analyses in one short Markdown or HTML document."""
    if bool(effect) != bool(se):
        raise InvalidInputError(
            "give --effect and --se together", hint="e.g. --effect effect_estimate --se effect_se"
        )
    store = call.store
    target = Path(out)
    check_targets(brief_targets(target), force=force, protect=database_files(store.path))
    spec = BriefSpec(
        form=form,
        map_rows=map_rows or "",
        map_cols=map_cols or "",
        fields=tuple(f.strip() for f in (fields or "").split(",") if f.strip()),
        effects=((effect, se),) if effect and se else (),
        by=by or "",
    )
    done = write_brief(store, spec, target)
    b = done.brief
    data = {
        "files": [str(p) for p in done.paths],
        "form": b.form,
        "map": [b.spec.map_rows, b.spec.map_cols] if b.evidence_map else None,
        "fields": list(b.spec.fields),
        "meta_analyses": [m.spec.effect for m in b.metas],
        "not_analysed": b.meta_missing,
    }

    def wrote() -> None:
        for why in b.meta_missing:
            _warn(f"no meta-analysis of {why}")
        err_console.print(Text("wrote ") + safe_text(", ".join(map(str, done.paths))))

    call.answer(data, wrote)


def register(app: typer.Typer) -> None:
    """Add `meta` and `brief` to the `synth` group."""
    app.command("meta")(meta)
    app.command("brief")(brief)
