"""An evidence brief: one short document a lead can send on — the PRISMA counts, the evidence
and gap map, a summary table of the included studies and the meta-analyses — as Markdown (the
images written beside it) or as one self-contained HTML file (images embedded).

What goes in, unless the caller names it (`BriefSpec`), follows the form:
- the map: the first two country or single-choice fields of the form (rows × columns);
- the summary table: one row per study with the form's required country and single-choice
  fields, then each effect field;
- the meta-analyses: each number field `X` (or `X_estimate`) with a number field `X_se` beside
  it is an effect with its standard error, pooled with random effects (DerSimonian–Laird).
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from extraction.forms import FormDef
from extraction.storage import get_form
from extraction.synthesis.analyses import MetaReport, md_text, run_meta, summary_markdown
from extraction.synthesis.effects import EffectSpec, short_label
from extraction.synthesis.evidence_map import EvidenceMap, draw_map, evidence_map
from extraction.synthesis.forest import render_forest
from extraction.synthesis.meta import TooFewStudiesError
from extraction.synthesis.tables import Characteristics, characteristics
from review.db import Store
from review.errors import InvalidInputError
from review.opening import review_info
from review.prisma import PrismaCounts, prisma_counts

FORMATS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


@dataclass(frozen=True)
class BriefSpec:
    """What the brief shows; empty values are chosen from the form (see the module doc)."""

    form: str | None = None
    map_rows: str = ""
    map_cols: str = ""
    fields: tuple[str, ...] = ()
    effects: tuple[tuple[str, str], ...] = ()  # (effect field, SE field)
    by: str = ""


@dataclass
class Brief:
    """The brief's parts, ready to render."""

    title: str
    form: str
    form_version: int
    created: str
    prisma: PrismaCounts
    spec: BriefSpec
    evidence_map: EvidenceMap | None
    table: Characteristics
    metas: list[MetaReport] = field(default_factory=list)
    meta_missing: list[str] = field(default_factory=list)  # why an analysis is not there


def default_spec(form: FormDef, spec: BriefSpec) -> BriefSpec:
    """`spec` with its empty parts chosen from the form."""
    leaves = [f for f in form.fields if not f.is_group]
    axes = [f.path for f in leaves if f.type in ("country", "choice")]
    rows = spec.map_rows or (axes[0] if axes else "")
    cols = spec.map_cols or next((a for a in axes if a != rows), "")
    effects = spec.effects or effect_pairs(form)
    fields = spec.fields or tuple(
        [f.path for f in leaves if f.type in ("country", "choice") and f.required]
        + [e for e, _ in effects]
    )
    return BriefSpec(spec.form or form.name, rows, cols, fields, effects, spec.by)


def effect_pairs(form: FormDef) -> tuple[tuple[str, str], ...]:
    """Number fields `X` or `X_estimate` with a number field `X_se`: (effect, SE) pairs."""
    numbers = {f.path for f in form.leaves() if f.type in ("number", "integer")}
    out = []
    for p in sorted(numbers, key=[f.path for f in form.leaves()].index):
        base = p.removesuffix("_estimate")
        if p.endswith("_se") or f"{base}_se" not in numbers:
            continue
        out.append((p, f"{base}_se"))
    return tuple(out)


def build_brief(store: Store, spec: BriefSpec) -> Brief:
    """Collect the brief's parts from the review."""
    fv = get_form(store, spec.form)
    spec = default_spec(fv.form, spec)
    emap = None
    if spec.map_rows and spec.map_cols:
        emap = evidence_map(store, rows=spec.map_rows, cols=spec.map_cols, form=fv.name)
    if not spec.fields:
        raise InvalidInputError(
            "the summary table needs fields", hint="name them with --fields a,b,c"
        )
    table = characteristics(store, fields=list(spec.fields), form=fv.name)
    brief = Brief(
        title=review_info(store)["name"] or "Evidence brief",
        form=fv.name,
        form_version=fv.version,
        created=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        prisma=prisma_counts(store),
        spec=spec,
        evidence_map=emap,
        table=table,
    )
    for eff, se in spec.effects:
        try:
            brief.metas.append(run_meta(store, EffectSpec(eff, se=se, by=spec.by), form=fv.name))
        except TooFewStudiesError as e:
            brief.meta_missing.append(f"{eff}: {e.message}")
    return brief


# --- rendering ------------------------------------------------------------------------------


def _key_numbers(b: Brief) -> list[tuple[str, str]]:
    c = b.prisma
    d = c.to_json()
    ft_excl = sum(i["n"] for i in d["dbr_excluded"]) + sum(i["n"] for i in d["other_excluded"])
    return [
        (
            "Records identified",
            str(
                d["database_results"]
                + d["register_results"]
                + d["website_results"]
                + d["organisation_results"]
                + d["citations_results"]
            ),
        ),
        ("Duplicates removed", str(d["duplicates"])),
        ("Records screened (title/abstract)", str(d["records_screened"])),
        ("Records excluded", str(d["records_excluded"])),
        ("Full-text reports assessed", str(d["dbr_assessed"] + d["other_assessed"])),
        ("Full-text reports excluded", str(ft_excl)),
        ("Studies included", str(d["new_studies"])),
        (f"Studies with extracted data (form {b.form})", str(len(b.table.studies))),
    ]


def _ft_reasons(c: PrismaCounts) -> list[tuple[str, int]]:
    d = c.to_json()
    return [(i["reason"], i["n"]) for i in [*d["dbr_excluded"], *d["other_excluded"]]]


def _gaps_sentence(m: EvidenceMap) -> str:
    t = m.table
    nr, nc = len(t.row_axis.keys), len(t.col_keys)
    return (
        f"{len(t.studies)} studies placed on {t.row_axis.label} × "
        f"{t.col_axis.label if t.col_axis else ''}: {len(m.gaps)} of {nr * nc} cells have no "
        "study (hatched: the gaps)."
    )


def _md_table(columns: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md_text(c) for c in columns) + " |"]
    out.append("|" + "|".join("---" for _ in columns) + "|")
    out += ["| " + " | ".join(md_text(c) for c in r) + " |" for r in rows]
    return out


def _table_cells(t: Characteristics) -> tuple[list[str], list[list[str]]]:
    cols = ["Study", *t.labels]
    rows = [[short_label(s.study, s.name), *c] for s, c in zip(t.studies, t.cells, strict=True)]
    return cols, rows


def _images(brief: Brief, folder: Path, stem: str) -> dict[str, Path]:
    out = {}
    if brief.evidence_map is not None:
        out["map"] = draw_map(brief.evidence_map, folder / f"{stem}.map.png")
    for i, m in enumerate(brief.metas):
        out[f"forest{i}"] = render_forest(m.result, folder / f"{stem}.forest-{m.spec.effect}.png")
    return out


def to_markdown(brief: Brief, images: dict[str, str]) -> str:
    """The brief as Markdown; `images` maps part → relative image path."""
    lines = [
        f"# Evidence brief: {md_text(brief.title)}",
        "",
        f"_Made by litsift on {brief.created} from the extraction form "
        f"{md_text(brief.form)} (version {brief.form_version})._",
        "",
        "## How the studies were found (PRISMA 2020)",
        "",
        *_md_table(["Stage", "Number"], [list(r) for r in _key_numbers(brief)]),
    ]
    for w in brief.prisma.warnings():
        lines += ["", f"_Not final: {md_text(w)}_"]
    reasons = _ft_reasons(brief.prisma)
    if reasons:
        lines += [
            "",
            "Full texts excluded because: "
            + "; ".join(f"{md_text(r)} ({n})" for r, n in reasons)
            + ".",
        ]
    if brief.evidence_map is not None:
        lines += [
            "",
            "## Where the evidence is, and where it is not",
            "",
            _gaps_sentence(brief.evidence_map),
            "",
        ]
        if "map" in images:
            lines.append(f"![Evidence and gap map]({images['map']})")
    cols, rows = _table_cells(brief.table)
    lines += ["", "## The included studies", "", *_md_table(cols, rows)]
    lines += ["", "## Meta-analyses"]
    for i, m in enumerate(brief.metas):
        lines += ["", f"### {md_text(m.title)}", ""]
        if f"forest{i}" in images:
            lines += [f"![Forest plot of {md_text(m.spec.effect)}]({images[f'forest{i}']})", ""]
        lines += summary_markdown(m)
    for why in brief.meta_missing:
        lines += ["", f"- no meta-analysis of {md_text(why)}"]
    if not brief.metas and not brief.meta_missing:
        lines += ["", "No effect fields with a standard error (`X` and `X_se`) in the form."]
    lines += [
        "",
        "## Methods",
        "",
        "Each study counts once, with its settled values (the reconciled consensus, else the "
        "only extractor's value, else the value both extractors agree on). Meta-analyses are "
        "inverse-variance random-effects models (statsmodels; τ² by DerSimonian–Laird), with "
        "95% confidence intervals and the Higgins–Thompson–Spiegelhalter prediction interval.",
        "",
    ]
    return "\n".join(lines)


def _img_tag(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _html_table(columns: list[str], rows: list[list[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1d;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}img{max-width:100%;height:auto}h1{font-size:1.6rem}.meta{color:#555}"""


def to_html(brief: Brief, images: dict[str, Path]) -> str:
    """The brief as one HTML file, every value escaped, the images embedded."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>Evidence brief: {e(brief.title)}'
        f"</title><style>{_CSS}</style></head><body>",
        f"<h1>Evidence brief: {e(brief.title)}</h1>",
        f'<p class="meta">Made by litsift on {e(brief.created)} from the extraction form '
        f"{e(brief.form)} (version {brief.form_version}).</p>",
        "<h2>How the studies were found (PRISMA 2020)</h2>",
        _html_table(["Stage", "Number"], [list(r) for r in _key_numbers(brief)]),
    ]
    for w in brief.prisma.warnings():
        parts.append(f"<p><em>Not final: {e(w)}</em></p>")
    reasons = _ft_reasons(brief.prisma)
    if reasons:
        parts.append(
            "<p>Full texts excluded because: "
            + e("; ".join(f"{r} ({n})" for r, n in reasons))
            + ".</p>"
        )
    if brief.evidence_map is not None:
        parts += [
            "<h2>Where the evidence is, and where it is not</h2>",
            f"<p>{e(_gaps_sentence(brief.evidence_map))}</p>",
        ]
        if "map" in images:
            parts.append(_img_tag(images["map"], "Evidence and gap map"))
    cols, rows = _table_cells(brief.table)
    parts += ["<h2>The included studies</h2>", _html_table(cols, rows), "<h2>Meta-analyses</h2>"]
    for i, m in enumerate(brief.metas):
        parts.append(f"<h3>{e(m.title)}</h3>")
        if f"forest{i}" in images:
            parts.append(_img_tag(images[f"forest{i}"], f"Forest plot of {m.spec.effect}"))
        r = m.result
        parts.append(
            _html_table(
                ["Study", "Effect", "SE", "95% CI", "Weight"],
                [
                    [
                        s.label,
                        f"{s.effect:.3f}",
                        f"{s.se:.3f}",
                        f"{s.ci.low:.3f} to {s.ci.high:.3f}",
                        f"{s.weight:.1f}%",
                    ]
                    for s in r.studies
                ],
            )
        )
        md = [ln for ln in summary_markdown(m) if not ln.startswith("|")]
        parts.append(
            "<p>"
            + "<br>".join(e(ln.strip().lstrip("- ").replace("\\", "")) for ln in md if ln.strip())
            + "</p>"
        )
    for why in brief.meta_missing:
        parts.append(f"<p>No meta-analysis of {e(why)}</p>")
    parts += [
        "<h2>Methods</h2>",
        "<p>Each study counts once, with its settled values (the reconciled consensus, else the "
        "only extractor's value, else the value both extractors agree on). Meta-analyses are "
        "inverse-variance random-effects models (statsmodels; τ² by DerSimonian–Laird), with "
        "95% confidence intervals and the Higgins–Thompson–Spiegelhalter prediction "
        "interval.</p>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


@dataclass(frozen=True)
class BriefWritten:
    """The files a brief wrote (the document first)."""

    paths: tuple[Path, ...]
    brief: Brief


def write_brief(store: Store, spec: BriefSpec, out: Path) -> BriefWritten:
    """Build the brief and write it to `out` (.md: images beside it, named OUT.map.png and
    OUT.forest-FIELD.png; .html: one file with the images embedded)."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InvalidInputError(
            f"cannot tell the brief's format from {out.name}",
            hint="name the file brief.md or brief.html",
        )
    brief = build_brief(store, spec)
    folder = out.resolve().parent
    folder.mkdir(parents=True, exist_ok=True)
    stem = out.stem
    if fmt == "md":
        imgs = _images(brief, folder, stem)
        text = to_markdown(brief, {k: p.name for k, p in imgs.items()})
        paths = [out, *imgs.values()]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            imgs = _images(brief, Path(tmp), "brief")
            text = to_html(brief, imgs)
        paths = [out]
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{out.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp_name, out)
    mask = os.umask(0)
    os.umask(mask)
    for p in paths:
        p.chmod(0o666 & ~mask)  # mkstemp makes 0600 files; a brief is meant to be shared
    return BriefWritten(tuple(paths), brief)


def brief_targets(out: Path) -> list[Path]:
    """Files a Markdown brief may write beside `out` (to check before writing)."""
    if FORMATS.get(out.suffix.lower()) != "md":
        return [out]
    return [out, out.with_name(f"{out.stem}.map.png")]
