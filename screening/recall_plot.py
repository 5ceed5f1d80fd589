"""Recall curves of simulated screening: recall against records screened, beside the random
baseline (screening in random order finds includes in proportion), with the point where the
stopping rule stopped. Drawn with matplotlib's object API (no pyplot, no display: works
headless) to SVG, PNG or PDF by the file's suffix; one panel per data set, one line per seed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from screening.errors import ScreeningError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from screening.service import SimulationRun

FORMATS = (".svg", ".png", ".pdf")
MAX_PANELS = 16


def recall_curve(labels_in_order: Sequence[int]) -> np.ndarray:
    """Recall after 0, 1, …, N records screened (the includes found so far / all includes)."""
    y = np.asarray(labels_in_order, dtype=np.float64)
    total = y.sum()
    found = np.concatenate([[0.0], np.cumsum(y)])
    return found / total if total else np.ones_like(found)


def check_plot_target(path: Path, *, force: bool = False) -> str:
    """The picture format of `path` (".svg", ".png", ".pdf"); refuses another suffix, and an
    existing file unless `force` (check before a long simulation, not after)."""
    from review.output import check_targets  # the rules every --out file follows

    fmt = path.suffix.lower()
    if fmt not in FORMATS:
        raise ScreeningError(
            f"{path}: cannot tell the picture format from {path.suffix or 'no suffix'!r}",
            hint="end --plot with .svg, .png or .pdf",
        )
    check_targets([path], force=force, protect=[])
    return fmt


def write_recall_plot(
    runs: Sequence[SimulationRun], path: Path, *, target: float = 0.95, force: bool = False
) -> Path:
    """Draw the recall curves of `runs` to `path` (.svg, .png or .pdf); returns the path.

    The file is written to a temporary name and moved into place; an existing file is only
    replaced with `force`."""
    fmt = check_plot_target(path, force=force)
    by_set: dict[str, list[SimulationRun]] = {}
    for r in runs:
        by_set.setdefault(r.dataset, []).append(r)
    if not by_set:
        raise ScreeningError("nothing to plot: no simulation ran", hint="check the data path")
    names = list(by_set)[:MAX_PANELS]
    fig = _figure(names, by_set, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    try:
        fig.savefig(tmp, format=fmt[1:], dpi=120, bbox_inches="tight")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _figure(names: list[str], by_set: dict[str, list[SimulationRun]], target: float) -> Figure:
    from matplotlib.figure import Figure  # slow import: only when drawing

    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig = Figure(figsize=(4.2 * cols, 3.4 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        set_runs = by_set[name]
        n = len(set_runs[0].result.labels_in_order)
        k = sum(set_runs[0].result.labels_in_order)
        x = np.arange(n + 1)
        ax.plot([0, n], [0, 1], color="0.6", linestyle="--", linewidth=1, label="random order")
        ax.axhline(target, color="0.75", linewidth=0.8, label=f"{target:.0%} recall")
        for i, r in enumerate(set_runs):
            colour = f"C{i % 10}"
            ax.plot(
                x,
                recall_curve(r.result.labels_in_order),
                color=colour,
                linewidth=1.2,
                label=f"seed {r.result.seed}",
            )
            stop = r.result.stopping
            if stop is not None and stop.fired:
                ax.plot(
                    [stop.screened],
                    [stop.recall],
                    marker="o",
                    color=colour,
                    markersize=6,
                    markeredgecolor="black",
                    linestyle="none",
                )
        ax.set_title(f"{name} ({k} of {n} included)", fontsize=9)
        ax.set_xlim(0, n)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("records screened", fontsize=8)
        ax.set_ylabel("recall", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(names) :]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    if any(
        r.result.stopping is not None and r.result.stopping.fired for n in names for r in by_set[n]
    ):
        from matplotlib.lines import Line2D

        handles.append(
            Line2D([], [], marker="o", color="0.5", markeredgecolor="black", linestyle="none")
        )
        labels.append("stopping rule fired")
    axes.flat[0].legend(handles, labels, fontsize=7, loc="lower right")
    return fig
