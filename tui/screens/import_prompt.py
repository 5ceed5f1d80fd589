"""The file to import, asked from home (`o`). The prompt says which folder a relative path
starts from and completes the names of the files in it; a path that is no file brings the
prompt straight back with what was typed and why, before any other question (the import
itself still checks and refuses, as the CLI does)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual.app import App

from tui.safe_text import safe_markup
from tui.screens.text_prompt import TextPrompt

QUESTION = "File to import (RIS, BibTeX, MEDLINE, CSV...):"
MAX_NAMES = 500  # a huge folder is not listed whole for completion


def file_names(folder: Path) -> list[str]:
    """The names of the (visible) files in `folder`, for completion."""
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                if not e.name.startswith(".") and e.is_file():
                    names.append(e.name)
                if len(names) >= MAX_NAMES:
                    break
    except OSError:
        return []
    return sorted(names)


def not_a_file(path: str) -> str:
    """Why `path` cannot be imported at all ("" when it is a file)."""
    p = Path(path).expanduser()
    if p.is_file():
        return ""
    if p.is_dir():
        return f"{path}: is a folder; name a file in it"
    return f"{path}: no such file"


def ask_import_file(
    app: App[None], chosen: Callable[[str], None], value: str = "", problem: str = ""
) -> None:
    """Ask for a file to import; `chosen(path)` once a file is named (nothing on Escape)."""
    folder = Path.cwd()
    hint = (f"{problem}\n" if problem else "") + f"a relative path starts in {folder}"

    def answered(path: str | None) -> None:
        if path:
            why = not_a_file(path)
            if why:
                ask_import_file(app, chosen, path, why)
            else:
                chosen(path)

    prompt = TextPrompt(QUESTION, value, suggestions=file_names(folder), hint=safe_markup(hint))
    app.push_screen(prompt, answered)
