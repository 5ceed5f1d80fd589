"""The evidence and gap map: a bubble per cell of two fields, its area the number of studies
(or the sum of a numeric field over them), and every empty cell marked — the gaps are the point.

>>> m = evidence_map(store, rows="country", cols="policy_area")
>>> draw_map(m, Path("map.png"))        # or .svg; matplotlib's Agg backend, no display
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extraction.service import atomic_write
from extraction.synthesis.settled import StudyValues, settled_values
from extraction.synthesis.tables import CountTable, cross_tab, resolve_field
from review.db import Store
from review.errors import InvalidInputError

IMAGE_SUFFIXES = (".svg", ".png")
BUBBLE = "#2a6f97"
GAP = "#fbf1e7"
GAP_EDGE = "#e8b98a"


@dataclass(frozen=True)
class EvidenceMap:
    """A cross-tab of two fields (no "not reported" rows) and each cell's bubble size."""

    table: CountTable
    sizes: dict[tuple[Any, Any], float]
    size_field: str = ""
    left_out: int = 0  # studies with no (settled) value on one of the two fields

    @property
    def gaps(self) -> list[tuple[Any, Any]]:
        """The empty cells."""
        return self.table.empty_cells()


def build_map(
    form: Any, studies: list[StudyValues], rows: str, cols: str, size: str | None = None
) -> EvidenceMap:
    """The map's cells from settled values (see `evidence_map`)."""
    t = cross_tab(form, studies, rows, cols, missing=False)
    placed = {i for ids in t.cells.values() for i in ids}
    sizes: dict[tuple[Any, Any], float] = {k: float(len(v)) for k, v in t.cells.items()}
    if size:
        f = resolve_field(form, size)
        if f.type not in ("integer", "number"):
            raise InvalidInputError(
                f"--size {size}: a {f.type} field; bubble sizes need a number",
                hint="name an integer or number field, or leave --size out to size by studies",
            )
        by_id = {s.study: s for s in studies}
        sizes = {k: float(sum(sum(by_id[i].get(size)) for i in v)) for k, v in t.cells.items()}
    return EvidenceMap(t, sizes, size or "", len(studies) - len(placed))


def evidence_map(
    store: Store, *, rows: str, cols: str, size: str | None = None, form: str | None = None
) -> EvidenceMap:
    """Studies per cell of `rows` × `cols` from the settled extractions; `size` (a numeric
    field) sizes each bubble by the sum of that field over the cell's studies."""
    fv, studies = settled_values(store, form)
    return build_map(fv.form, studies, rows, cols, size)


def _pretty(label: str, width: int = 0) -> str:
    text = label.replace("_", " ")
    return textwrap.fill(text, width) if width else text


def _compact(x: float) -> str:
    for div, unit in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:.3g}{unit}"
    return f"{x:.3g}"


def draw_map(m: EvidenceMap, out: Path, *, title: str = "") -> Path:
    """Render the map to an SVG or PNG file (by suffix) with matplotlib's Agg backend."""
    if out.suffix.lower() not in IMAGE_SUFFIXES:
        raise InvalidInputError(
            f"cannot draw a map as {out.name}", hint="name an .svg or .png file"
        )
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Rectangle

    t = m.table
    assert t.col_axis is not None
    rk, ck = list(t.row_axis.keys), list(t.col_axis.keys)
    nr, nc = len(rk), len(ck)
    width = 3.2 + 1.15 * max(nc, 3)
    height = 2.4 + 0.62 * max(nr, 2)
    fig, ax = plt.subplots(figsize=(width, height), dpi=150)
    biggest = max(m.sizes.values(), default=1.0) or 1.0
    max_area = 900.0 if m.size_field else 1400.0  # points², the largest bubble
    for i in range(nr):
        for j in range(nc):
            key = (rk[i], ck[j])
            n = t.count(*key)
            y = nr - 1 - i
            if n == 0:
                ax.add_patch(
                    Rectangle(
                        (j - 0.46, y - 0.42),
                        0.92,
                        0.84,
                        facecolor=GAP,
                        edgecolor=GAP_EDGE,
                        hatch="//",
                        linewidth=0.4,
                        zorder=1,
                    )
                )
                continue
            area = max_area * m.sizes.get(key, 0.0) / biggest
            x = j - 0.22 if m.size_field else j  # room for the total beside it
            ax.scatter([x], [y], s=max(area, 60.0), color=BUBBLE, alpha=0.85, zorder=2)
            r = math.sqrt(max(area, 60.0) / math.pi) / 72 * 150  # radius in pixels
            label = str(n)
            if m.size_field:
                label += f" ({_compact(m.sizes.get(key, 0.0))})"
            inside = r > 12 and not m.size_field
            ax.annotate(
                label,
                (x, y),
                ha="center" if inside else "left",
                va="center",
                xytext=(0, 0) if inside else (r / 150 * 72 + 2, 0),
                textcoords="offset points",
                color="white" if inside else "#1d1d1d",
                fontsize=9,
                fontweight="bold",
                zorder=3,
            )
    ax.set_xlim(-0.6, nc - 0.4)
    ax.set_ylim(-0.6, nr - 0.4)
    ax.set_xticks(range(nc))
    ax.set_xticklabels(
        [
            f"{_pretty(lb, 14)}\n(n={t.col_total(k)})"
            for k, lb in zip(ck, t.col_axis.labels, strict=True)
        ],
        fontsize=9,
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(nr))
    ax.set_yticklabels(
        [
            f"{_pretty(lb)} (n={t.row_total(k)})"
            for k, lb in zip(reversed(rk), reversed(t.row_axis.labels), strict=True)
        ],
        fontsize=9,
    )
    ax.tick_params(which="both", length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.set_xticks([x + 0.5 for x in range(nc - 1)], minor=True)
    ax.set_yticks([y + 0.5 for y in range(nr - 1)], minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.8)
    ax.set_xlabel(t.col_axis.label, fontsize=10, labelpad=8)
    ax.xaxis.set_label_position("top")
    ax.set_ylabel(t.row_axis.label, fontsize=10)
    placed = len({i for ids in t.cells.values() for i in ids})
    gaps = len(m.gaps)
    head = title or f"Evidence and gap map: {t.row_axis.label} × {t.col_axis.label}"
    fig.suptitle(head, fontsize=12, fontweight="bold", x=0.02, y=0.995, ha="left")
    foot = [
        f"{placed} studies; {gaps} of {nr * nc} cells empty (hatched: no evidence).",
        "Bubble area: "
        + (
            f"total {m.size_field} of the cell's studies (in brackets)"
            if m.size_field
            else "number of studies"
        )
        + "; the number is the studies in the cell.",
    ]
    if m.left_out:
        foot.append(f"{m.left_out} studies with no settled value on a field are not shown.")
    fig.text(0.02, 0.01, "\n".join(foot), fontsize=8, color="#555555", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.05 + 0.02 * len(foot), 1, 0.97))

    def save(p: Path) -> None:
        fig.savefig(p, format=out.suffix.lower().lstrip("."), bbox_inches="tight")

    try:
        atomic_write(out, save)
    finally:
        plt.close(fig)
    return out
