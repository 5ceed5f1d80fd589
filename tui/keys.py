"""Remappable keys: every binding of the app's screens has an id (`screen.action`), and the
review's "keys" setting maps ids to keys (Textual's keymap), e.g. {"screening.include": "j"}.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from review import settings
from review.db import Store
from review.errors import InvalidInputError


@dataclass(frozen=True)
class KeyInfo:
    """One remappable binding: its id, what it does, its default and current keys."""

    id: str
    description: str
    default: str
    key: str


def _screens() -> list[type[Screen[Any]] | type[Widget]]:
    from tui.screens.duplicates import DuplicatesScreen
    from tui.screens.extraction import ExtractionScreen
    from tui.screens.extraction_form import StudyExtractionScreen
    from tui.screens.history import HistoryScreen
    from tui.screens.home import HomeScreen
    from tui.screens.reconcile import ReconcileScreen
    from tui.screens.screening import ScreeningScreen
    from tui.screens.synthesis import SynthesisScreen
    from tui.widgets.group_table import GroupTable

    screens: list[type[Screen[Any]] | type[Widget]] = [
        HomeScreen,
        ScreeningScreen,
        HistoryScreen,
        DuplicatesScreen,
        ExtractionScreen,
        StudyExtractionScreen,
        GroupTable,
        ReconcileScreen,
        SynthesisScreen,
    ]
    return screens


def bindings() -> Iterator[Binding]:
    """Every binding with an id, screen by screen."""
    for screen in _screens():
        for b in screen.BINDINGS:
            if isinstance(b, Binding) and b.id:
                yield b


def current_keys(store: Store) -> list[KeyInfo]:
    """The remappable bindings with the keys this review uses."""
    keymap = settings.load(store, settings.Keymap).keys
    return [
        KeyInfo(b.id or "", b.description, b.key, keymap.get(b.id or "", b.key)) for b in bindings()
    ]


def set_keys(store: Store, changes: dict[str, str], *, actor: str = "") -> dict[str, str]:
    """Remap keys (id → key; an empty key restores the default). Refuses unknown ids and a
    key used twice on one screen. Returns the review's whole keymap."""
    known = {b.id: b for b in bindings()}
    keymap = dict(settings.load(store, settings.Keymap).keys)
    for binding_id, key in changes.items():
        if binding_id not in known:
            raise InvalidInputError(
                f"no key binding {binding_id!r}", hint="`litsift keys` lists them"
            )
        key = key.strip()
        if not key or key == known[binding_id].key:
            keymap.pop(binding_id, None)
        else:
            keymap[binding_id] = key
    used: dict[tuple[str, str], str] = {}
    for b in known.values():
        screen = (b.id or "").split(".")[0]
        for k in keymap.get(b.id or "", b.key).split(","):
            other = used.setdefault((screen, k.strip()), b.id or "")
            if other != b.id:
                raise InvalidInputError(
                    f"key {k.strip()!r} would do both {other} and {b.id}",
                    hint="choose another key, or remap the other action too",
                )
    settings.save(store, settings.Keymap(keys=keymap), actor=actor)
    return keymap
