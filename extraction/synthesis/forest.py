"""A forest plot of a `MetaResult` with matplotlib (Agg, no display): one row per study (a square
sized by its weight and its 95% CI), subgroup diamonds with `by`, the pooled diamond and the
prediction interval; labels and numbers in text columns either side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extraction.synthesis.meta import Interval, MetaResult, Pooled, StudyRow
from review.errors import InvalidInputError

FORMATS = (".svg", ".png", ".pdf")
_STUDY = "#1f4e79"
_POOLED = "#b03a2e"
_SUB = "#7d6608"
_MONO: dict[str, Any] = {"family": "monospace", "fontsize": 9}


def plot_text(text: str, limit: int = 48) -> str:
    """Data as plain plot text: no control characters, `$` not read as mathtext, cut short."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text)
    clean = " ".join(clean.split())
    if len(clean) > limit:
        clean = clean[: limit - 1].rstrip() + "…"
    return clean.replace("$", r"\$")


def p_text(p: float) -> str:
    """A p-value as `p = 0.012` or `p < 0.001`."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _ci_text(est: float, ci: Interval) -> str:
    return f"{est:6.2f} [{ci.low:5.2f}, {ci.high:5.2f}]"


def _pooled_label(p: Pooled, title: str) -> str:
    if p.model == "fixed":
        return f"{title} (fixed effect)"
    return f"{title} (random effects, {p.method})"


def _het_text(p: Pooled) -> str:
    tau = f"; τ² = {p.tau2:.3f}" if p.model == "random" else ""
    return f"Q = {p.q:.2f} (df {p.q_df}), {p_text(p.q_p)}; I² = {p.i2:.0f}%{tau}"


def render_forest(result: MetaResult, out: Path, *, title: str = "") -> Path:
    """Draw the forest plot to `out` (.svg, .png or .pdf); returns the path written."""
    if out.suffix.lower() not in FORMATS:
        raise InvalidInputError(
            f"{out.name}: the forest plot is written as SVG, PNG or PDF",
            hint="name the file forest.svg or forest.png",
        )
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    # rows from the top: ("study", StudyRow) | ("head", text) | ("pooled", Pooled, text) | ...
    rows: list[tuple] = []
    if result.subgroups:
        for sg in result.subgroups:
            rows.append(("head", f"{result.by}: {sg.name}"))
            rows.extend(("study", s) for s in sg.studies)
            if sg.pooled is not None:
                rows.append(("pooled", sg.pooled, "Subtotal", _SUB))
                rows.append(("het", _het_text(sg.pooled)))
            rows.append(("gap",))
    else:
        rows.extend(("study", s) for s in result.studies)
        rows.append(("gap",))
    o = result.overall
    rows.append(("pooled", o, _pooled_label(o, "Overall"), _POOLED))
    if o.prediction is not None:
        rows.append(("pi", o))
    rows.append(("het", _het_text(o)))
    if result.between is not None:
        b = result.between
        rows.append(("het", f"Subgroup differences: Q = {b.q:.2f} (df {b.df}), {p_text(b.p)}"))

    n = len(rows)
    top = 0.9 if title else 0.5  # inches above the rows: the title, then the column heads
    fig_h = 0.9 + top + 0.3 * n
    fig = plt.figure(figsize=(10, fig_h), dpi=120)
    ax = fig.add_axes((0.36, 0.9 / fig_h, 0.36, 0.3 * n / fig_h))
    lows = [r[1].ci.low for r in rows if r[0] in ("study", "pooled")]
    highs = [r[1].ci.high for r in rows if r[0] in ("study", "pooled")]
    if o.prediction is not None:
        lows.append(o.prediction.low)
        highs.append(o.prediction.high)
    lo, hi = min([*lows, 0.0]), max([*highs, 0.0])
    pad = (hi - lo) * 0.06 or 0.1
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(-0.5, n - 0.5)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.axvline(o.estimate, color=_POOLED, lw=0.8, ls=(0, (4, 3)), alpha=0.7)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(plot_text(result.effect, 80) + " (95% CI)")
    label_x, text_x = -0.02, 1.02
    trans = ax.get_yaxis_transform()
    max_w = max((s.weight for s in result.studies), default=1.0) or 1.0

    def label(y: float, text: str, va: str = "center", **style: Any) -> None:
        """A row's text in the label column, left of the axes."""
        ax.text(label_x, y, text, transform=trans, ha="right", va=va, **style)

    def numbers(y: float, text: str, va: str = "center", **style: Any) -> None:
        """A row's figures in the monospace column right of the axes."""
        ax.text(text_x, y, text, transform=trans, va=va, **_MONO, **style)

    label(n - 0.1, "Study", va="bottom", weight="bold")
    numbers(n - 0.1, f"{'Effect [95% CI]':>23}  Weight", va="bottom", weight="bold")
    for i, row in enumerate(rows):
        y = n - 1 - i
        kind = row[0]
        if kind == "study":
            s: StudyRow = row[1]
            ax.plot([s.ci.low, s.ci.high], [y, y], color=_STUDY, lw=1.2)
            size = 3 + 9 * (s.weight / max_w) ** 0.5
            ax.plot([s.effect], [y], marker="s", ms=size, color=_STUDY, ls="none")
            label(y, plot_text(s.label))
            numbers(y, f"{_ci_text(s.effect, s.ci)}  {s.weight:5.1f}%")
        elif kind == "pooled":
            p: Pooled = row[1]
            dia = [(p.ci.low, y), (p.estimate, y + 0.3), (p.ci.high, y), (p.estimate, y - 0.3)]
            ax.add_patch(Polygon(dia, closed=True, color=row[3]))
            label(y, plot_text(row[2], 60), weight="bold")
            txt = _ci_text(p.estimate, p.ci) + ("  100.0%" if row[3] == _POOLED else "")
            numbers(y, txt, weight="bold")
        elif kind == "pi":
            p = row[1]
            assert p.prediction is not None
            ax.plot(
                [p.prediction.low, p.prediction.high],
                [y, y],
                color=_POOLED,
                lw=2.5,
                solid_capstyle="butt",
                alpha=0.55,
            )
            label(y, "95% prediction interval", style="italic")
            numbers(y, f"       [{p.prediction.low:5.2f}, {p.prediction.high:5.2f}]")
        elif kind == "head":
            label(y, plot_text(row[1], 60), weight="bold", color=_SUB)
        elif kind == "het":
            label(y, row[1], fontsize=8, color="#444444")
    if title:
        fig.text(
            0.01,
            1 - 0.25 / fig_h,
            plot_text(title, 90),
            ha="left",
            va="top",
            weight="bold",
            fontsize=12,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    plt.close(fig)
    return out
