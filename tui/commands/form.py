"""`litsift form add|list|show|check`: extraction forms kept in the review as YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from extraction.forms import format_value
from extraction.service import ExtractionSession
from extraction.storage import FormAdded, FormVersion
from review.errors import InvalidInputError
from tui.common import JsonOption, err_console, handle_errors, out_console, print_json
from tui.review_command import ReviewCall, review_command

app = typer.Typer(help="Extraction forms (YAML files kept in the review).", no_args_is_help=True)
FileArg = Annotated[Path, typer.Argument(help="A form file (YAML).", show_default=False)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise InvalidInputError(
            f"cannot read {path}: {e.strerror}",
            hint="give the path of a form file (YAML); corpora/demo/obc_form.yaml is an example",
        ) from e


def _say(text: str) -> None:
    out_console.print(text, markup=False, highlight=False)


@app.command("check")
@handle_errors
def check(path: FileArg, as_json: JsonOption = False) -> None:
    """Check a form file: every mistake with its line (exit 1 when there is one)."""
    issues = ExtractionSession.check(_read(path))
    if as_json:
        print_json({"file": str(path), "issues": issues})
    else:
        for i in issues:
            _say(f"{path}:{i.line}: {i.message}")
        if not issues:
            _say(f"{path}: ok")
    if issues:
        raise typer.Exit(code=1)


@app.command("add")
@review_command(reviewer=True)
def add(call: ReviewCall, path: FileArg) -> None:
    """Add a form, or a new version of a changed one (extractions carried over)."""
    ex = ExtractionSession(call.store)
    r = ex.add_form(_read(path), actor=call.reviewer, source=str(path))
    data = {
        "form": r.form.name,
        "version": r.form.version,
        "new_version": r.new_version,
        "carried_extractions": r.carried_extractions,
        "carried_values": r.carried_values,
        "uncarried": r.uncarried,
    }
    call.answer(data, lambda: _added(r))


def _added(r: FormAdded) -> None:
    if not r.new_version:
        _say(f"form {r.form.name} v{r.form.version} is unchanged")
        return
    _say(f"form {r.form.name} v{r.form.version} added")
    if r.carried_extractions:
        _say(f"carried {r.carried_values} values of {r.carried_extractions} extractions")
    for u in r.uncarried:
        where = f"{u.field} row {u.row}" if u.row else u.field
        err_console.print(
            f"not carried: study {u.study} ({u.reviewer}) {where} = {format_value(u.value)}: "
            f"{u.reason}",
            markup=False,
            highlight=False,
        )


@app.command("list")
@review_command()
def list_(call: ReviewCall) -> None:
    """Forms and their versions."""
    forms = ExtractionSession(call.store).forms()
    rows = [
        {
            "name": f.name,
            "version": f.version,
            "title": f.form.title,
            "fields": len(f.form.leaves()),
            "created_at": f.created_at,
        }
        for f in forms
    ]
    call.answer({"forms": rows}, lambda: _forms(rows))


def _forms(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        _say(f"{r['name']} v{r['version']}  {r['fields']} fields  {r['title']}")
    if not rows:
        _say("no forms yet: `litsift form add FILE`")


@app.command("show")
@review_command()
def show(
    call: ReviewCall,
    name: Annotated[str, typer.Argument(help="Form name.")],
    version: Annotated[
        int | None, typer.Option("--version", help="A version (default latest).")
    ] = None,
    yaml_text: Annotated[
        bool, typer.Option("--yaml", help="Print the form file as stored.")
    ] = False,
) -> None:
    """A form's sections and fields (or its file with --yaml)."""
    fv = ExtractionSession(call.store).form(name, version)
    if yaml_text:
        typer.echo(fv.form.text, nl=False)
        return
    call.answer(
        {"name": fv.name, "version": fv.version, "sections": fv.form.sections},
        lambda: _fields(fv),
    )


def _fields(fv: FormVersion) -> None:
    _say(f"{fv.name} v{fv.version}: {fv.form.title}")
    for sec in fv.form.sections:
        _say(f"[{sec.label}]")
        for f in sec.fields:
            for g in (f, *f.fields):
                extra = [g.type + (f" ({g.unit})" if g.unit else "")]
                if g.required:
                    extra.append("required")
                if g.choices:
                    extra.append("|".join(c.value for c in g.choices))
                if g.when:
                    extra.append(f"when {g.when.field} {'|'.join(g.when.values)}".rstrip())
                indent = "    " if g is not f else "  "
                _say(f"{indent}{g.path}: {', '.join(extra)}" + (f"  — {g.help}" if g.help else ""))
