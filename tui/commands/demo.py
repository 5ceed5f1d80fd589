"""`litsift demo`: a temporary review built from the bundled demo corpus."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from corpora.demo_decisions import include_extracted_studies
from corpora.service import DEMO_DIR, create_demo_review
from extraction.demo import load_demo_extraction
from tui.commands.imports import render_reports
from tui.commands.review import status
from tui.commands.screening import open_app
from tui.common import JsonOption, count, handle_errors, out_console, print_json, progress_status


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


@handle_errors
def demo(
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Print the review instead of opening the app.")
    ] = False,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="Build the demo review in this folder.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Build a review from the demo corpus (outcomes-based contracting) and show it
    (with --json: describe it, without opening the app)."""
    folder = keep or Path(tempfile.mkdtemp(prefix="litsift-demo-"))
    with progress_status("building the demo review…", as_json):
        built = create_demo_review(folder, deduplicate=True)
        include_extracted_studies(built.store, DEMO_DIR)
        extracted = load_demo_extraction(
            built.store,
            DEMO_DIR / "obc_form.yaml",
            DEMO_DIR / "extractions.csv",
            DEMO_DIR / "study_reports.csv",
        )
    if as_json:
        from screening.dashboard import dashboard

        print_json(
            {
                "path": str(built.path),
                "imports": built.reports,
                "dedup": built.dedup,
                "extraction_studies": list(extracted.studies),
                "status": dashboard(built.store).to_json(),
            }
        )
        return
    if not no_tui:
        open_app(str(built.path), None, "title-abstract")  # the summary below follows it
    else:
        render_reports(built.reports)
        if built.dedup is not None:
            d = built.dedup
            out_console.print(
                f"deduplication: {count(d.duplicates_removed, 'duplicate record')} merged, "
                f"{count(d.queued, 'pair')} queued for a person (litsift dedup queue)"
            )
    status(db=str(built.path), as_json=False)
    out_console.print(
        f"\nThe demo review (and every decision made in it) is in {built.path}. Try:\n"
        f"  litsift screen --db {built.path}\n"
        f"  litsift stopping --db {built.path}\n"
        f"  litsift records --db {built.path} --limit 10\n"
        f"  litsift export decisions --format csv --db {built.path}\n"
        f"  litsift extract reconcile {extracted.studies[0]} --db {built.path}\n"
        f"  litsift export extraction --layout long --db {built.path}\n"
        f"  litsift synth table --rows country --cols policy_area --db {built.path}",
        markup=False,  # a folder's name is data
        soft_wrap=True,  # a wrapped command can no longer be copied
    )
