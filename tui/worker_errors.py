"""How every worker of the app reports failure: one `WorkerFailed` message that the screen
shows (the app notifies; the screen that started the work un-busies itself). The app keeps
running whatever a worker raises."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from textual.message import Message
from textual.message_pump import MessagePump

from review.errors import LitsiftError
from review.opening import database_error

log = logging.getLogger(__name__)

P = ParamSpec("P")
S = TypeVar("S", bound=MessagePump)


class WorkerFailed(Message):
    """A worker's call failed; `error` is one line (two with a hint) for the reviewer."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


def describe(e: BaseException) -> str:
    """What to tell a reviewer about an exception raised in a worker."""
    if isinstance(e, LitsiftError):
        return str(e)
    if isinstance(e, SQLAlchemyError | OSError):
        return str(database_error(e))
    return f"unexpected error ({type(e).__name__}: {e}); the details are in the log"


def reports_failure(fn: Callable[Concatenate[S, P], None]) -> Callable[Concatenate[S, P], None]:
    """Wrap a worker body (under `@work`) so that any exception becomes a `WorkerFailed`
    posted to the screen, instead of ending the app."""

    @functools.wraps(fn)
    def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(self, *args, **kwargs)
        except Exception as e:  # reported, never swallowed: shown to the reviewer and logged
            if not isinstance(e, LitsiftError):
                log.exception("worker %s failed", fn.__name__)
            self.post_message(WorkerFailed(describe(e)))

    return wrapper
