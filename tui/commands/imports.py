"""`litsift import FILE...`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from review import service
from review.importing import ImportReport, ProgressFn
from tui.common import count, err_console, open_store, out_console
from tui.review_command import ReviewCall, review_command
from tui.safe_text import safe_markup, safe_text


def register(app: typer.Typer) -> None:
    app.command("import")(import_)


@contextmanager
def _progress(enabled: bool) -> Iterator[object]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[entries]} entries"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        yield bar


@review_command()
def import_(
    call: ReviewCall,
    files: Annotated[list[Path], typer.Argument(help="Files to import.", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Force a format (ris, bibtex, medline, wos, wos-tab, "
            "scopus-csv, endnote-xml, pubmed-xml, refer, ovid, cochrane, field-rows, tabular, "
            "xlsx, json).",
        ),
    ] = None,
    source: Annotated[str, typer.Option("--source", help="Database or site searched.")] = "",
    source_type: Annotated[
        str,
        typer.Option(
            "--source-type", help="database, register, website, organisation or citation."
        ),
    ] = "database",
    again: Annotated[bool, typer.Option("--again", help="Import a file seen before.")] = False,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="Text encoding when detection fails.")
    ] = None,
    labels_as: Annotated[
        str | None,
        typer.Option(
            "--labels-as",
            help="Record the file's label_included (1/0) as this reviewer's decisions.",
        ),
    ] = None,
) -> None:
    """Import reference files; each file is one transaction. Exit 1 if any file was refused."""
    new = not service.review_exists(call.db)
    store = open_store(call.db)  # the first import creates the review
    with _progress(not call.as_json and sys.stderr.isatty()) as bar:

        def progress(name: str) -> ProgressFn:
            if bar is None:
                return lambda n, total: None
            task = bar.add_task(safe_markup(Path(name).name), total=None, entries=0)  # type: ignore[attr-defined]
            return lambda n, total: bar.update(task, entries=n)  # type: ignore[attr-defined]

        reports = service.import_files(
            store,
            files,
            fmt=fmt,
            source_name=source,
            source_type=source_type,
            again=again,
            encoding=encoding,
            progress=progress,
            labels_as=labels_as,
        )
        if new and not any(r.imported or r.quarantined for r in reports):
            service.discard_unused_review(store)  # every file refused: leave no empty review
        else:
            # scikit-learn loads here, when features are prepared, not with every command
            from screening.prepare import prepare_features

            prepare_features(store, progress=progress("features"))  # the app opens ready
    call.answer({"files": [r.to_json() for r in reports]}, lambda: render_reports(reports))
    if any(r.error for r in reports):
        raise typer.Exit(code=1)


def render_reports(reports: list[ImportReport]) -> None:
    """What each file's import did (refusals on stderr)."""
    for r in reports:
        _render(r)


def _render(r: ImportReport) -> None:
    if r.error:
        err_console.print(Text.assemble(("error:", "bold red"), " refused ", safe_text(r.error)))
        return
    q, n_warn = len(r.quarantined), len(r.warnings)
    out_console.print(
        f"[green]imported[/] {safe_markup(r.file)} ({safe_markup(r.format)}): "
        f"{count(r.imported, 'record')}"
        + (f", [yellow]{q} quarantined[/]" if q else "")
        + (f", {count(n_warn, 'warning')}" if n_warn else "")
        + (f", {count(r.decisions, 'label')} recorded as decisions" if r.decisions else ""),
        soft_wrap=True,  # a long path stays one line: wrapped, it is no longer the file's name
    )
    for note in r.quarantined[:20]:
        out_console.print(safe_text(f"  quarantined line {note.line}: {note.reason}"))
    if q > 20:
        out_console.print(f"  ... {q - 20} more: see `litsift quarantine`")
    for w in r.warnings[:10]:
        out_console.print(Text.assemble("  ", ("warning:", "dim"), " ", safe_text(w)))
    if len(r.warnings) > 10:
        out_console.print(f"  ... {len(r.warnings) - 10} more warnings (use --json to see all)")
