"""What every CLI command shares: the --db option, error handling, JSON and table output."""

from __future__ import annotations

import contextlib
import functools
import getpass
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, is_dataclass
from datetime import datetime
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from review import service
from review.db import Store
from review.errors import LitsiftError
from review.opening import database_error
from tui.safe_text import safe_text

P = ParamSpec("P")
R = TypeVar("R")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Review database: a file path or a SQLAlchemy URL (default ./review.db, or "
        "$LITSIFT_DB).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ReviewerOption = Annotated[
    str | None,
    typer.Option("--reviewer", help="Who decides (default $LITSIFT_REVIEWER or your login)."),
]
StageOption = Annotated[
    str, typer.Option("--stage", help="Screening stage: title-abstract or full-text.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the --out file if it exists.")]
StageFilterOption = Annotated[
    str | None, typer.Option("--stage", help="title-abstract or full-text (default: both).")
]
RecordArg = Annotated[int, typer.Argument(help="Record id (see `litsift records`).")]
RecordIdsArg = Annotated[list[int], typer.Argument(help="Record ids.", show_default=False)]
NoteOption = Annotated[str, typer.Option("--note", help="A free-text note.")]
FormOption = Annotated[
    str | None, typer.Option("--form", help="Form name (default: the only form).")
]


class PipedConsole(Console):
    """Wraps long lines for a terminal; into a pipe or a file each line stays one line, so
    that `grep`, `wc -l` and scripts see one record per line."""

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        if soft_wrap is None and not self.is_terminal:
            soft_wrap = True
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)


err_console = Console(stderr=True, soft_wrap=True)
out_console = PipedConsole(highlight=False)


def count(n: int, noun: str, plural: str = "") -> str:
    """`n` and the noun, singular for one: "1 record", "3 records", "1 pair queued"."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def default_reviewer(value: str | None) -> str:
    """The reviewer named by --reviewer, else $LITSIFT_REVIEWER, else the login name."""
    if value:
        return value
    if env := os.environ.get("LITSIFT_REVIEWER"):
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def open_store(db: str | None, *, create: bool = True) -> Store:
    """Open the review the user pointed at: creating it on first use, or (`create=False`, for
    commands that only read or change an existing review) saying there is none."""
    return service.open_review(db, create=create)


def handle_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn litsift errors into a message on stderr and exit status 1."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except LitsiftError as e:
            print_error(e)
            raise typer.Exit(code=1) from e
        except BrokenPipeError as e:  # `litsift ... | head`: the reader left; stop quietly
            _silence_stdout()
            raise typer.Exit(code=1) from e
        except (SQLAlchemyError, OSError) as e:  # a database or file failing mid-command
            print_error(database_error(e))
            raise typer.Exit(code=1) from e

    return wrapper


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail again on the
    closed pipe (what Python's documentation advises for SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's buffer): nothing will be flushed to a pipe


def print_error(e: LitsiftError) -> None:
    """`error: message` (and `hint: ...`) on stderr."""
    err_console.print(Text.assemble(("error:", "bold red"), " ", safe_text(e.message)))
    if e.hint:  # Text, not markup: `litsift[postgres]` must print as written
        err_console.print(Text.assemble(("hint:", "dim"), " ", safe_text(e.hint)))


def _default(o: Any) -> Any:
    if isinstance(o, datetime):
        return o.isoformat()
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if isinstance(o, BaseModel):  # e.g. a RecordView: its fields, in order
        return o.model_dump()
    return str(o)


def print_json(data: Any) -> None:
    """JSON on stdout (nothing else goes to stdout with --json)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=_default) + "\n")


def progress_status(message: str, quiet: bool = False) -> AbstractContextManager[object]:
    """A spinner with `message` on stderr while a long job runs; nothing when `quiet` (e.g.
    --json) or when stderr is not a terminal."""
    if quiet or not err_console.is_terminal:
        return contextlib.nullcontext()
    return err_console.status(Text(message), spinner="dots")


@contextlib.contextmanager
def progress_steps(quiet: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar on stderr for a job told `(what, done, total)` as it goes; a callback
    that does nothing when `quiet` (e.g. --json) or when stderr is not a terminal."""
    if quiet or not err_console.is_terminal:
        yield lambda what, done, total: None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err_console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("", total=None)

        def step(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        yield step


def existing_store(db: str | None) -> Store:
    """Open the review the user pointed at; a path with no review is an error, not a new one."""
    return open_store(db, create=False)
