"""`litsift prisma`: the PRISMA 2020 flow diagram's counts as JSON, CSV, Markdown, SVG or PNG."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from review.prisma import prisma_counts
from review.prisma_render import render
from tui.common import err_console
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
) -> None:
    """PRISMA 2020 counts, computed from the review (they add up by construction)."""
    if call.as_json:
        fmt = "json"
    counts = prisma_counts(call.store)
    data = render(counts, fmt.lower())
    for w in counts.warnings():
        err_console.print(f"warning: {w}", highlight=False, markup=False)
    if out is None:
        if fmt.lower() == "png" and sys.stdout.isatty():
            err_console.print("error: a PNG is not for a terminal; give --out FILE", markup=False)
            raise typer.Exit(code=1)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out = out.resolve()
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    err_console.print(f"wrote {out}", highlight=False, markup=False)
