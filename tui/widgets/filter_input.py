"""FilterInput: a screen's filter box. Escape in it leaves the filter, not the screen: it
clears what is typed and posts `Cleared`, so the screen can show everything again and give
the keys back to its list; Escape there then leaves the screen, as a prompt's Escape cancels
the prompt only."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input

from tui.keys import screen_bindings


class FilterInput(Input):
    """An Input whose Escape clears it and posts `FilterInput.Cleared`."""

    BINDINGS: ClassVar[list[BindingType]] = screen_bindings("filter_input")

    class Cleared(Message):
        """Escape in the filter: it is empty now; the screen drops the filter and refocuses."""

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())
