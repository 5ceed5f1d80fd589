"""`litsift prisma`: the PRISMA 2020 flow diagram's counts as JSON, CSV, Markdown, SVG or PNG."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from review.export_files import export_prisma
from review.prisma import prisma_counts
from review.prisma_render import render
from tui.common import ForceOption, err_console
from tui.review_command import ReviewCall, review_command


def register(app: typer.Typer) -> None:
    app.command("prisma")(prisma)


@review_command()
def prisma(
    call: ReviewCall,
    fmt: Annotated[
        str,
        typer.Option("--format", help="json, csv (the PRISMA2020 app's template), md, svg, png."),
    ] = "json",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to this file (default: standard output).")
    ] = None,
    force: ForceOption = False,
) -> None:
    """PRISMA 2020 counts, computed from the review (they add up by construction)."""
    if call.as_json:
        fmt = "json"
    counts = prisma_counts(call.store)
    for w in counts.warnings():
        err_console.print(f"warning: {w}", highlight=False, markup=False)
    if out is not None:  # an existing file only with --force, as every other --out
        done = export_prisma(call.store, fmt, out, force=force, counts=counts)
        err_console.print(f"wrote {done.paths[0]}", highlight=False, markup=False)
        return
    if fmt.lower() == "png" and sys.stdout.isatty():
        err_console.print("error: a PNG is not for a terminal; give --out FILE", markup=False)
        raise typer.Exit(code=1)
    sys.stdout.buffer.write(render(counts, fmt.lower()))
    sys.stdout.flush()
