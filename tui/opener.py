"""Open an attached full text in the system viewer: an http(s) URL, or a local file that
still exists. `launch_target` decides what would be opened (tested without launching);
`open_attachment` opens it with the system's opener (xdg-open, open, or the Windows shell's
association), with no shell, its output kept off the app's terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from review.annotation import URL
from review.errors import InvalidInputError


def launch_target(location: str) -> str:
    """The URL or absolute file path to open for an attachment, or InvalidInputError."""
    loc = location.strip()
    if URL.match(loc):
        if not loc.lower().startswith(("http://", "https://")):
            raise InvalidInputError(f"{loc}: only http(s) links are opened")
        return loc
    path = Path(loc).expanduser()
    if not path.is_absolute() or not path.is_file():
        raise InvalidInputError(
            f"{loc}: the attached file is not there any more",
            hint="attach it again from the screening screen (key a)",
        )
    return str(path)


def system_open(target: str) -> int:
    """Hand `target` to the system's opener without waiting; 0, or 127 when there is none."""
    if sys.platform == "win32":  # pragma: no cover - not run on the CI
        os.startfile(target)  # type: ignore[attr-defined]
        return 0
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    try:
        subprocess.Popen(
            [opener, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return 127
    return 0


def open_attachment(location: str, launcher: Callable[[str], object] = system_open) -> str:
    """Open an attachment with the system viewer; returns what was opened."""
    target = launch_target(location)
    code = launcher(target)
    if isinstance(code, int) and code != 0:
        raise InvalidInputError(
            f"no system viewer to open {target} (xdg-open missing?)",
            hint="open the file yourself; its path is shown under the report",
        )
    return target
