"""One home for what every command on a review repeats: the `--db`, `--json` (and `--reviewer`)
options, opening the review, clean errors, and answering in JSON or in text.

    @app.command("unlink")
    @review_command(reviewer=True)
    def unlink(call: ReviewCall, records: Records) -> None:
        \"\"\"Take these records out of their studies.\"\"\"
        n = studies.unlink_reports(call.store, records, actor=call.reviewer)
        call.answer({"unlinked": n}, f"{n} reports unlinked")

The decorator appends the shared options after the command's own (so `--help` lists them
last, as before) and hands the command a `ReviewCall` as its first argument.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

from rich.text import Text

from review.db import Store
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
from tui.safe_text import safe_text

P = ParamSpec("P")
Command = Callable[Concatenate["ReviewCall", P], None]


@dataclass
class ReviewCall:
    """What a command on a review is handed: where the review is, who acts, and how to answer."""

    db: str | None
    as_json: bool
    reviewer_given: str | None = None

    @functools.cached_property
    def store(self) -> Store:
        """The existing review (opened on first use: a path with no review is an error)."""
        return existing_store(self.db)

    @property
    def reviewer(self) -> str:
        """--reviewer, else $LITSIFT_REVIEWER, else the login name."""
        return default_reviewer(self.reviewer_given)

    def answer(self, data: Any, text: str | Text | Callable[[], None]) -> None:
        """`data` as JSON on stdout with --json; else `text` (a string is shown as typed: never
        markup, control characters made visible), or whatever the callable prints."""
        if self.as_json:
            print_json(data)
        elif callable(text):
            text()
        else:
            out_console.print(safe_text(text) if isinstance(text, str) else text)


def _shared(reviewer: bool) -> list[inspect.Parameter]:
    options = [("db", None, DbOption), ("as_json", False, JsonOption)]
    if reviewer:
        options.insert(0, ("reviewer", None, ReviewerOption))
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return [inspect.Parameter(n, kind, default=d, annotation=a) for n, d, a in options]


def review_command(*, reviewer: bool = False) -> Callable[[Command[P]], Callable[..., None]]:
    """Make `fn(call, ...)` a Typer command on a review: `--db` and `--json` (and, with
    `reviewer=True`, `--reviewer` before them) are added after its own options, litsift errors
    become `error:`/`hint:` and exit 1, and `call` carries them."""

    def decorate(fn: Command[P]) -> Callable[..., None]:
        own = list(inspect.signature(fn, eval_str=True).parameters.values())[1:]
        params = own + _shared(reviewer)

        @functools.wraps(fn)
        def command(
            *args: Any, db: str | None = None, as_json: bool = False, **kwargs: Any
        ) -> None:
            given = kwargs.pop("reviewer", None) if reviewer else None
            fn(ReviewCall(db, as_json, given), *args, **kwargs)

        del command.__wrapped__  # Typer reads the signature below, not fn's
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return handle_errors(command)

    return decorate
