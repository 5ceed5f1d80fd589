"""The app's keys, in one table: every binding of the app's screens has an id
(`screen.name`), and the review's "keys" setting maps ids to keys (Textual's keymap), e.g.
{"screening.include": "j"}. The table is data, in tui/keymap.toml beside this module. Screens
take their `BINDINGS` from `screen_bindings`; `litsift keys` lists and remaps the same table.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, NamedTuple

from textual.binding import Binding, BindingType

from review import settings
from review.db import Store
from review.errors import InvalidInputError


class KeyRow(NamedTuple):
    """One binding of the table (`footer` False: in the key panel (?), not in the footer)."""

    name: str
    key: str
    action: str
    description: str
    footer: bool = True


def _row(name: str, spec: dict[str, Any]) -> KeyRow:
    action = spec.get("action", name)
    return KeyRow(name, spec["key"], action, spec["description"], spec.get("footer", True))


def _load() -> tuple[dict[str, KeyRow], dict[str, tuple[KeyRow, ...]]]:
    """The shared bindings, and each screen's bindings in footer order, from keymap.toml."""
    data = tomllib.loads(resources.files("tui").joinpath("keymap.toml").read_text("utf-8"))
    shared = {name: _row(name, spec) for name, spec in data.pop("shared").items()}
    return shared, {
        screen: tuple(_row(name, spec) if spec else shared[name] for name, spec in rows.items())
        for screen, rows in data.items()
    }


SHARED, KEYMAP = _load()  # screen → its bindings, in footer order
BACK, HELP = SHARED["back"], SHARED["help"]


@dataclass(frozen=True)
class KeyInfo:
    """One remappable binding: its id, what it does, its default and current keys."""

    id: str
    description: str
    default: str
    key: str


def _binding(screen: str, row: KeyRow) -> Binding:
    return Binding(row.key, row.action, row.description, id=f"{screen}.{row.name}", show=row.footer)


def screen_bindings(screen: str) -> list[BindingType]:
    """The `BINDINGS` of a screen (or widget) from the table, each with its id."""
    return [_binding(screen, row) for row in KEYMAP[screen]]


def bindings() -> Iterator[Binding]:
    """Every binding with an id, screen by screen."""
    for screen, rows in KEYMAP.items():
        for row in rows:
            yield _binding(screen, row)


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
