"""`litsift synth map`: the evidence and gap map, as an image or a grid in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table as RichTable

from extraction.synthesis.evidence_map import EvidenceMap, draw_map, evidence_map
from tui.common import ForceOption, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_text

GAP_MARK = "·"


def map_grid(m: EvidenceMap) -> RichTable:
    """The map as a terminal grid: counts, gaps marked, totals in the margins."""
    t = m.table
    assert t.col_axis is not None
    g = RichTable(title=safe_text(f"{t.row_axis.label} × {t.col_axis.label}"), show_lines=True)
    g.add_column(safe_text(t.row_axis.label))
    for label in t.col_axis.labels:
        g.add_column(safe_text(label), justify="center")
    g.add_column("n", justify="right", style="dim")
    for r, label in zip(t.row_axis.keys, t.row_axis.labels, strict=True):
        cells = [
            safe_text(str(n), "bold") if (n := t.count(r, c)) else safe_text(GAP_MARK, "red")
            for c in t.col_axis.keys
        ]
        g.add_row(safe_text(label), *cells, safe_text(str(t.row_total(r))))
    return g


@review_command()
def evidence_map_cmd(
    call: ReviewCall,
    rows: Annotated[str, typer.Option("--rows", help="Field down the side, e.g. country.")],
    cols: Annotated[str, typer.Option("--cols", help="Field across the top, e.g. policy_area.")],
    size: Annotated[
        str | None,
        typer.Option("--size", help="Numeric field: bubble area is its total in the cell."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Draw to this .svg or .png (default: a grid).")
    ] = None,
    form: Annotated[str | None, typer.Option("--form", help="Form name.")] = None,
    force: ForceOption = False,
) -> None:
    """The evidence and gap map of two fields: where the studies are, and where none are."""
    from tui.commands.synth_tables import check_out

    check_out(call, out, force=force)
    m = evidence_map(call.store, rows=rows, cols=cols, size=size, form=form)
    if out is not None:
        draw_map(m, out)
    data = m.table.to_json()
    data["gaps"] = [{"row": r, "col": c} for r, c in m.gaps]
    data["left_out"] = m.left_out
    data["out"] = str(out) if out else None
    call.answer(data, lambda: _show(m, out))


def _show(m: EvidenceMap, out: Path | None) -> None:
    if out is not None:
        out_console.print(safe_text(f"wrote {out} ({len(m.gaps)} empty cells)"))
        return
    out_console.print(map_grid(m))
    cells = len(m.table.row_axis.keys) * len(m.table.col_keys)
    note = f"{GAP_MARK} = no study: {len(m.gaps)} of {cells} cells"
    if m.left_out:
        note += f"; {m.left_out} studies with no settled value not shown"
    out_console.print(safe_text(note, "dim"))
