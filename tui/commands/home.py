"""`litsift app`: the terminal app on a review's home screen."""

from __future__ import annotations

import typer

from tui.common import DbOption, ReviewerOption, handle_errors


def register(app: typer.Typer) -> None:
    app.command("app")(open_home)


@handle_errors
def open_home(reviewer: ReviewerOption = None, db: DbOption = None) -> None:
    """Open the terminal app on the review's home screen: screening, full text, history,
    duplicates, conflicts, extraction, import, synthesis and export, one key each."""
    from tui.commands.screening import open_app

    open_app(db, reviewer, "title-abstract", start="home")
