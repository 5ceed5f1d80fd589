"""KeyFooter: Textual's Footer that never drops a key without saying so. When a screen's keys
do not fit the width it packs them closer; when they still do not fit, it shows the first ones,
then "…", then the key that lists them all (`?`, the key panel). A plain Footer cuts the row
at the edge, and the keys past it (home's `o Import` at 80 columns) vanish unannounced."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

MORE = "…"
HELP_ACTION = "app.toggle_keys"


def key_width(key: FooterKey, compact: bool) -> int:
    """The cells a footer key takes (FooterKey's padding, or its margin when compact)."""
    text = len(key.key_display) + (len(key.description) + 1 if key.description else 0)
    return text + (1 if compact else 2)


def fit(keys: list[FooterKey], room: int, compact: bool) -> list[FooterKey] | None:
    """The keys to show in `room` cells: all of them when they fit, else the first ones that
    fit beside "…" and the help key; None when there is no help key to point to the rest."""
    if sum(key_width(k, compact) for k in keys) <= room:
        return keys
    help_key = next((k for k in keys if k.action == HELP_ACTION), None)
    if help_key is None:
        return None
    room -= key_width(help_key, compact) + len(MORE) + 1
    shown: list[FooterKey] = []
    for k in keys:
        if k is help_key:
            continue
        room -= key_width(k, compact)
        if room < 0:
            break
        shown.append(k)
    return shown


class KeyFooter(Footer):
    """The footer of every LitsiftScreen."""

    def compose(self) -> ComposeResult:
        items: list[Widget] = list(super().compose())
        keys = [w for w in items if isinstance(w, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        keys = [k for k in keys if k not in palette]
        if not self.size.width or len(keys) + len(palette) != len(items):
            yield from items  # not laid out yet, or binding groups: as Textual draws them
            return
        for compact in (False, True):
            # the palette key is docked right with a border and a margin
            room = self.size.width - sum(key_width(p, compact) + 2 for p in palette)
            shown = fit(keys, room, compact)
            if shown is keys or compact:
                break
        self.compact = compact
        if shown is None or shown is keys:
            yield from items
            return
        yield from shown
        more = FooterLabel(MORE)
        more.styles.margin = (0, 1, 0, 0)
        yield more
        yield from (k for k in keys if k.action == HELP_ACTION)
        yield from palette

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.recompose)
