"""How `--help` shows options: a flag as a flag (`--json`), not as `--json <bool>`.

Typer's Rich help prints every option's type, flags included. A flag takes no value, so its
type column is left empty, as Click's plain help does.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperOption

_type_of = TyperOption.display_type_rich


def _display_type(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag:
        return None
    return _type_of(self, ctx)


def show_flags_as_flags() -> None:
    """Leave the type column of flags empty in Rich help (idempotent)."""
    TyperOption.display_type_rich = _display_type  # type: ignore[method-assign]
