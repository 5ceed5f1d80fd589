"""One home for what every command on a review repeats: the `--db`, `--json` (and `--reviewer`)
options, opening the review, clean errors, and answering in JSON or in text.

    @app.command("unlink")
    @review_command(reviewer=True)
    def unlink(call: ReviewCall, records: Records) -> None:
        \"\"\"Take these records out of their studies.\"\"\"
        n = studies.unlink_reports(call.store, records, actor=call.reviewer)
        call.answer({"unlinked": n}, f"{n} reports unlinked")

The decorator appends the shared options after the command's own (so `--help` lists them
last, as before) and hands the command a `ReviewCall` as its first argument. A command that
acts at a screening stage as a reviewer (`stage=True`) takes `--stage` and `--reviewer` first,
before its own options.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec

import typer
from rich.text import Text

from review.db import Store
from tui.common import (
    DbOption,
    JsonOption,
    ReviewerOption,
    StageOption,
    default_reviewer,
    existing_store,
    handle_errors,
    out_console,
    print_json,
)
from tui.safe_text import safe_text

P = ParamSpec("P")
Command = Callable[Concatenate["ReviewCall", P], None]
DEFAULT_STAGE = "title-abstract"


@dataclass
class ReviewCall:
    """What a command on a review is handed: where the review is, who acts, and how to answer."""

    db: str | None
    as_json: bool
    reviewer_given: str | None = None
    stage: str = DEFAULT_STAGE

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


Shared = tuple[str, Any, Any]  # a shared option: name, default, annotation
STAGE: Shared = ("stage", DEFAULT_STAGE, StageOption)
REVIEWER: Shared = ("reviewer", None, ReviewerOption)
DB_JSON: list[Shared] = [("db", None, DbOption), ("as_json", False, JsonOption)]


def _params(options: list[Shared]) -> list[inspect.Parameter]:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return [inspect.Parameter(n, kind, default=d, annotation=a) for n, d, a in options]


def _is_argument(p: inspect.Parameter) -> bool:
    meta = getattr(p.annotation, "__metadata__", ())
    return any(isinstance(m, typer.models.ArgumentInfo) for m in meta)


def review_command(
    *, reviewer: bool = False, stage: bool = False
) -> Callable[[Command[P]], Callable[..., None]]:
    """Make `fn(call, ...)` a Typer command on a review: `--db` and `--json` (and, with
    `reviewer=True`, `--reviewer` before them) are added after its own options, litsift errors
    become `error:`/`hint:` and exit 1, and `call` carries them. With `stage=True`, `--stage`
    (default title-abstract) and `--reviewer` come after its arguments, before its own options
    (`reviewer` need not be given too), and `call.stage` carries the stage."""

    def decorate(fn: Command[P]) -> Callable[..., None]:
        own = list(inspect.signature(fn, eval_str=True).parameters.values())[1:]
        n_args = next((i for i, p in enumerate(own) if not _is_argument(p)), len(own))
        first = _params([STAGE, REVIEWER] if stage else [])
        last = _params([REVIEWER, *DB_JSON] if reviewer and not stage else DB_JSON)
        params = own[:n_args] + first + own[n_args:] + last

        @functools.wraps(fn)
        def command(
            *args: Any, db: str | None = None, as_json: bool = False, **kwargs: Any
        ) -> None:
            given = kwargs.pop("reviewer", None) if reviewer or stage else None
            at = kwargs.pop("stage") if stage else DEFAULT_STAGE
            fn(ReviewCall(db, as_json, given, at), *args, **kwargs)

        del command.__wrapped__  # Typer reads the signature below, not fn's
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return handle_errors(command)

    return decorate
