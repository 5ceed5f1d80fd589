"""Opening a record's attached full text from a screen (the full-text screening screen and
the extraction form): one attachment opens at once, several ask which, none says so. The
system viewer is started in a worker; a failure is shown like any worker's."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from textual.screen import Screen

from review.errors import LitsiftError
from tui import opener
from tui.safe_text import visible
from tui.screens.reason_picker import ReasonPicker
from tui.worker_errors import WorkerFailed, describe

log = logging.getLogger(__name__)


def open_full_text(screen: Screen[Any], files: Sequence[str], *, none: str) -> None:
    """Open one of `files` in the system viewer (asking which when there are several);
    `none` is what to say when there is no file."""
    if not files:
        screen.notify(none, timeout=4, markup=False)
    elif len(files) == 1:
        _launch(screen, files[0])
    else:

        def chosen(f: str | None) -> None:
            if f:
                _launch(screen, f)

        screen.app.push_screen(ReasonPicker(list(files), prompt="Open which full text?"), chosen)


def _launch(screen: Screen[Any], location: str) -> None:
    def run() -> None:
        try:  # the launcher is looked up now, so that tests can stand in for the system's
            target = opener.open_attachment(location, launcher=opener.system_open)
        except Exception as e:  # reported to the reviewer, like every worker's failure
            if not isinstance(e, LitsiftError):
                log.exception("opening %s failed", location)
            screen.post_message(WorkerFailed(describe(e)))
            return
        shown = visible(target, single_line=True)
        screen.app.call_from_thread(screen.notify, f"opening {shown}", markup=False)

    screen.run_worker(run, thread=True, group="launch")
