"""`litsift extract set|show|complete|import|reconcile|decide`: structured extraction."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from extraction import reconcile as rec
from extraction.forms import format_value
from extraction.importing import ExtractionImportError
from extraction.service import ExtractionSession
from extraction.storage import ExtractionData, FormVersion
from tui.common import FormOption, default_reviewer, out_console, print_error, print_json
from tui.review_command import ReviewCall, review_command

app = typer.Typer(help="Extract data from studies into a form.", no_args_is_help=True)
RowOption = Annotated[int, typer.Option("--row", help="Row of a repeating group (from 1).")]
StudyArg = Annotated[int, typer.Argument(help="Study id (`litsift study list`).")]
FieldArg = Annotated[str, typer.Argument(help="Field, or GROUP.COLUMN with --row.")]
ToleranceOption = Annotated[
    float, typer.Option("--tolerance", help="Numbers this close (absolute or relative) agree.")
]


def _say(text: str) -> None:
    out_console.print(text, markup=False, highlight=False)


@app.command("set")
@review_command(reviewer=True)
def set_(
    call: ReviewCall,
    study: StudyArg,
    field: FieldArg,
    value: Annotated[str, typer.Argument(help="The value ('' clears it).")],
    row: RowOption = 0,
    form: FormOption = None,
) -> None:
    """Set one value (validated, stored at once)."""
    who = call.reviewer
    v = ExtractionSession(call.store).set(study, field, value, reviewer=who, row=row, form=form)
    call.answer(
        {"study": study, "field": field, "row": row, "value": v, "reviewer": who},
        f"study {study} {field}{f' row {row}' if row else ''} = {format_value(v)}",
    )


@app.command("show")
@review_command(reviewer=True)
def show(call: ReviewCall, study: StudyArg, form: FormOption = None) -> None:
    """Your extraction of a study (others' stay hidden: dual extraction is blind)."""
    ex = ExtractionSession(call.store)
    fv = ex.form(form)
    data = ex.extractions(form, study=study, reviewer=call.reviewer)
    call.answer(
        {"extractions": [d.record(fv.form) | {"_status": d.status} for d in data]},
        lambda: _show(call, study, fv, data),
    )


def _show(call: ReviewCall, study: int, fv: FormVersion, data: list[ExtractionData]) -> None:
    if not data:
        _say(f"no extraction of study {study} by {call.reviewer} yet")
    for d in data:
        _say(f"study {d.study} ({d.reviewer}, {d.status})")
        for f in fv.form.fields:
            if not f.is_group:
                _say(f"  {f.path}: {format_value(d.values.get(f.name))}")
                continue
            for i, r in sorted(d.rows.get(f.name, {}).items()):
                cells = ", ".join(f"{k}={format_value(v)}" for k, v in r.items() if v is not None)
                _say(f"  {f.path}[{i}]: {cells}")


@app.command("complete")
@review_command(reviewer=True)
def complete(call: ReviewCall, study: StudyArg, form: FormOption = None) -> None:
    """Mark your extraction of a study complete (required fields checked)."""
    d = ExtractionSession(call.store).complete(study, reviewer=call.reviewer, form=form)
    call.answer(
        {"study": d.study, "reviewer": d.reviewer, "status": d.status},
        f"study {d.study} ({d.reviewer}): {d.status}",
    )


@app.command("import")
@review_command(reviewer=True)
def import_(
    call: ReviewCall,
    path: Annotated[Path, typer.Argument(help="A CSV or XLSX file (wide or long layout).")],
    form: FormOption = None,
) -> None:
    """Import an extraction spreadsheet: all rows or, when any fails, none. Rows are matched
    to studies by a study (id), source_key, doi or title column, in that order."""
    ex = ExtractionSession(call.store)
    try:
        r = ex.import_file(
            path, form=form, reviewer=call.reviewer_given or "", actor=default_reviewer(None)
        )
    except ExtractionImportError as e:
        if call.as_json:
            print_json({"imported": False, "issues": e.issues})
        print_error(e)
        raise typer.Exit(code=1) from e
    how = ", ".join(f"{n} by {k.replace('_', ' ')}" for k, n in sorted(r.matched_by.items()))
    call.answer(
        {
            "imported": True,
            "extractions": r.extractions,
            "values": r.values,
            "matched_by": r.matched_by,
        },
        f"imported {r.values} values in {r.extractions} extractions from {path} (rows: {how})",
    )


@app.command("reconcile")
@review_command(reviewer=True)
def reconcile(
    call: ReviewCall,
    study: StudyArg,
    form: FormOption = None,
    tolerance: ToleranceOption = rec.DEFAULT_TOLERANCE,
) -> None:
    """Compare the two extractions of a study: agreed values go to the consensus; lists the
    disagreements left (decide them with `litsift extract decide`)."""
    ex = ExtractionSession(call.store)
    r = rec.reconcile(ex.store, ex.form(form), study, decided_by=call.reviewer, tolerance=tolerance)
    call.answer(r, lambda: _reconciled(r))


def _reconciled(r: rec.Reconciliation) -> None:
    _say(f"study {r.study}: {' vs '.join(r.reviewers)}; {r.agreed} agreed; {r.status}")
    for d in r.disagreements:
        where = f"{d.field}[{d.row}]" if d.row else d.field
        vals = "  ".join(f"{k}={format_value(v)}" for k, v in d.values.items())
        done = f"  → {format_value(d.decided)} (by {d.decided_by})" if d.decided_by else ""
        _say(f"  {where}: {vals}{done}")


@app.command("decide")
@review_command(reviewer=True)
def decide(
    call: ReviewCall,
    study: StudyArg,
    field: FieldArg,
    value: Annotated[str, typer.Argument(help="The consensus value.")],
    row: RowOption = 0,
    form: FormOption = None,
) -> None:
    """Record the consensus value of a field and who decided it."""
    ex = ExtractionSession(call.store)
    who = call.reviewer
    v = rec.decide(ex.store, ex.form(form), study, field, value, decided_by=who, row=row)
    call.answer(
        {"study": study, "field": field, "row": row, "value": v, "decided_by": who},
        f"study {study} {field}{f' row {row}' if row else ''}: consensus {format_value(v)}",
    )
