"""`litsift keys`: list and remap the app's keys (stored with the review)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tui.common import out_console
from tui.review_command import ReviewCall, review_command


def register(app: typer.Typer) -> None:
    app.command("keys")(keys)


@review_command()
def keys(
    call: ReviewCall,
    assign: Annotated[
        list[str] | None,
        typer.Option("--set", help="ID=KEY, e.g. screening.include=j (KEY empty: default)."),
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Back to the default keys.")] = False,
) -> None:
    """The app's keys for this review; `--set` remaps one (several screens keep theirs)."""
    from tui import keys as keymap

    store = call.store
    changes: dict[str, str] = {}
    if reset:
        changes = {k.id: "" for k in keymap.current_keys(store)}
    for item in assign or []:
        binding_id, sep, key = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r}: write ID=KEY", param_hint="--set")
        changes[binding_id.strip()] = key
    if changes:
        keymap.set_keys(store, changes)
    rows = keymap.current_keys(store)
    t = Table(box=None, pad_edge=False)
    for col in ("id", "key", "default", "does"):
        t.add_column(col, no_wrap=True)
    for k in rows:
        changed = "" if k.key == k.default else "[bold]"
        t.add_row(k.id, f"{changed}{k.key}", k.default, k.description)
    call.answer({"keys": rows}, lambda: out_console.print(t))
