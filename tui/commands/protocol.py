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
from tui.common import out_console
from tui.review_command import ReviewCall, review_command

app = typer.Typer(help="The review's protocol: question, criteria, keywords, reasons, mode.")


def _render(call: ReviewCall, protocol: settings.Protocol) -> None:
    data = protocol.model_dump(mode="json")

    def text() -> None:
        for key, value in _flat(data):
            shown = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
            out_console.print(f"[bold]{escape(key)}[/]: {escape(shown)}")

    call.answer(data, text)


def _flat(d: dict[str, object], prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        else:
            out.append((prefix + k, v))
    return out


@app.command("show")
@review_command()
def show(call: ReviewCall) -> None:
    """Print the protocol, one dotted key a line (the keys `protocol set` takes)."""
    _render(call, settings.protocol(call.store))


@app.command("set")
@review_command(reviewer=True)
def set_value(
    call: ReviewCall,
    key: Annotated[str, typer.Argument(help="A dotted key, e.g. question or keywords.include.")],
    value: Annotated[str, typer.Argument(help="The value; lists take `a; b; c` or JSON.")],
) -> None:
    """Set one protocol key (validated; the change goes in the audit log)."""
    _render(call, settings.set_protocol_value(call.store, key, value, actor=call.reviewer))


@app.command("load")
@review_command(reviewer=True)
def load(
    call: ReviewCall, file: Annotated[Path, typer.Argument(help="A JSON or TOML protocol file.")]
) -> None:
    """Replace the protocol with one read from a file (validated before anything is stored)."""
    protocol = settings.read_protocol_file(file)
    settings.save(call.store, protocol, actor=call.reviewer)
    _render(call, protocol)


@app.command("edit")
@review_command(reviewer=True)
def edit(call: ReviewCall) -> None:
    """Edit the protocol as JSON in $VISUAL or $EDITOR; stored only when it validates."""
    store = call.store
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
    settings.save(store, protocol, actor=call.reviewer)
    _render(call, protocol)
