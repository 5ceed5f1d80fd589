"""How `--help` shows options and commands.

A flag as a flag (`--json`), not as `--json <bool>`: Typer's Rich help prints every option's
type, flags included. A flag takes no value, so its type column is left empty, as Click's
plain help does.

A command's summary in its group's list as one paragraph: in Rich markup mode Typer keeps the
line breaks of the docstring's first paragraph there (not on the command's own help page), so
`litsift --help` broke sentences where the source lines ended ("imports, quarantine,
duplicates,⏎decisions per stage").
"""

from __future__ import annotations

from typing import Any

from typer import rich_utils
from typer.core import TyperOption

_type_of = TyperOption.display_type_rich
_command_help = rich_utils._make_command_help


def _display_type(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag:
        return None
    return _type_of(self, ctx)


def one_paragraph(help_text: str) -> str:
    """The first paragraph of a help text with its single line breaks made spaces (a `\\b`
    paragraph, Click's mark for 'keep my lines', is left as it is)."""
    first, sep, rest = help_text.strip().partition("\n\n")
    if first.startswith("\b"):
        return help_text
    return " ".join(line.strip() for line in first.splitlines()) + sep + rest


def _make_command_help(*, help_text: str, markup_mode: Any) -> Any:
    return _command_help(help_text=one_paragraph(help_text), markup_mode=markup_mode)


def show_flags_as_flags() -> None:
    """Leave the type column of flags empty in Rich help, and show each command's summary in
    a group's list as one paragraph (idempotent)."""
    TyperOption.display_type_rich = _display_type  # type: ignore[method-assign]
    rich_utils._make_command_help = _make_command_help
