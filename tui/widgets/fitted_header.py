"""FittedHeader: Textual's Header, with the line fitted to its width (tui/header_title.py):
the screen's sub-title stays whole and the review's name is shortened, again on a resize."""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.widgets import Header, Static

from tui.header_title import HEADER_SIDES, fit_title


class FittedHeader(Header):
    """The header of every litsift screen."""

    def format_title(self) -> Content:
        width = (self.size.width or self.app.size.width) - HEADER_SIDES
        fitted = fit_title(self.screen_title, self.screen_sub_title, width)
        return self.app.format_title(*fitted)

    def on_resize(self, _event: Resize) -> None:
        self.query_one("HeaderTitle", Static).update(self.format_title())
