"""`litsift protocol`: show, edit, set and load the review's protocol (`review.settings`)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from review import settings
from review.errors import InvalidInputError
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    default_reviewer,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)

app = typer.Typer(help="The review's protocol: question, criteria, keywords, reasons, mode.")


def _render(protocol: settings.Protocol, as_json: bool) -> None:
    data = protocol.model_dump(mode="json")
    if as_json:
        print_json(data)
        return
    for key, value in _flat(data):
        shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
        out_console.print(f"[bold]{escape(key)}[/]: {escape(shown)}")


def _flat(d: dict[str, object], prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append((prefix + k, v))
    return out


@app.command("show")
@handle_errors
def show(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Print the protocol, one dotted key a line (the keys `protocol set` takes)."""
    _render(settings.protocol(existing_store(db)), as_json)


@app.command("set")
@handle_errors
def set_value(
    key: Annotated[str, typer.Argument(help="A dotted key, e.g. question or keywords.include.")],
    value: Annotated[str, typer.Argument(help="The value; lists take `a; b; c` or JSON.")],
    db: DbOption = None,
    reviewer: ReviewerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set one protocol key (validated; the change goes in the audit log)."""
    store = existing_store(db)
    _render(
        settings.set_protocol_value(store, key, value, actor=default_reviewer(reviewer)), as_json
    )


@app.command("load")
@handle_errors
def load(
    file: Annotated[Path, typer.Argument(help="A JSON or TOML protocol file.")],
    db: DbOption = None,
    reviewer: ReviewerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Replace the protocol with one read from a file (validated before anything is stored)."""
    protocol = settings.read_protocol_file(file)
    store = existing_store(db)
    settings.save(store, protocol, actor=default_reviewer(reviewer))
    _render(protocol, as_json)


@app.command("edit")
@handle_errors
def edit(db: DbOption = None, reviewer: ReviewerOption = None, as_json: JsonOption = False) -> None:
    """Edit the protocol as JSON in $VISUAL or $EDITOR; stored only when it validates."""
    store = existing_store(db)
    current = settings.protocol(store).model_dump(mode="json")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "protocol.json"
        path.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", "utf-8")
        try:
            subprocess.run([*shlex.split(editor), str(path)], check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            raise InvalidInputError(
                f"the editor {editor!r} failed: {e}", hint="set $EDITOR, or use `protocol set`"
            ) from e
        protocol = settings.read_protocol_file(path)
    settings.save(store, protocol, actor=default_reviewer(reviewer))
    _render(protocol, as_json)
