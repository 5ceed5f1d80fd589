"""KeysPanel: the keys of the screen on show, its own first, then the focused widget's, then
the app's (`?` toggles it). Textual's help panel lists the focused widget's keys first - the
record view's ten scrolling keys - and on an 80x24 terminal the screen's own keys (note, tag,
search, random check...) ran off its bottom, where the keyboard cannot scroll it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static


class KeysPanel(VerticalScroll, can_focus=False):
    """The key panel docked at the right of a screen; it follows focus changes."""

    DEFAULT_CSS = """
    KeysPanel {
        split: right;
        width: 33%;
        min-width: 30;
        max-width: 60;
        border-left: vkey $foreground 30%;
        padding: 0 1;
        height: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="keys-table")

    def on_mount(self) -> None:
        self.show_keys()
        self.screen.bindings_updated_signal.subscribe(self, self._changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[object]) -> None:
        self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        """Draw the keys as they are now (focus decides the widget's)."""
        if not self.is_attached:
            return
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="bold")
        table.add_column()
        for key, description in self.rows():
            table.add_row(Text(key), Text(description))
        self.query_one("#keys-table", Static).update(table)

    def rows(self) -> list[tuple[str, str]]:
        """(keys, description) of every action a key reaches here, the screen's first."""
        groups: dict[tuple[int, int, str], list[Binding]] = {}
        for node, binding, _enabled, _tooltip in self.screen.active_bindings.values():
            if binding.system or not binding.description:
                continue
            # the screen's keys from tui/keys.py, then the focused widget's and Textual's
            # (focus, copy, scrolling), then the app's
            first = node is self.screen and binding.id is not None
            rank = 0 if first else 2 if node is self.app else 1
            groups.setdefault((rank, id(node), binding.action), []).append(binding)
        rows = []
        for place in sorted(groups, key=lambda p: p[0]):  # stable: each node's own order
            bindings = groups[place]
            keys = " ".join(dict.fromkeys(self.app.get_key_display(b) for b in bindings))
            rows.append((keys, bindings[0].description))
        return rows
