"""The app's keys, in one table: every binding of the app's screens has an id
(`screen.name`), and the review's "keys" setting maps ids to keys (Textual's keymap), e.g.
{"screening.include": "j"}. Screens take their `BINDINGS` from `screen_bindings`; `litsift
keys` lists and remaps the same table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from review import settings
from review.db import Store
from review.errors import InvalidInputError

HIDDEN = "hidden"  # the fifth column of a row: in the key panel (?), not in the footer
BACK = ("back", "escape,q", "app.pop_screen", "Back")
HELP = ("help", "question_mark", "app.toggle_keys", "Keys")

# screen → (name, default key(s), action, description[, HIDDEN]), in footer order
KEYMAP: dict[str, tuple[tuple[str, ...], ...]] = {
    "home": (
        ("screen", "s", "screen", "Screen"),
        ("full_text", "f", "full_text", "Full text"),
        ("history", "h", "history", "History"),
        ("duplicates", "d", "duplicates", "Duplicates"),
        ("conflicts", "c", "conflicts", "Conflicts"),
        ("extraction", "e", "extraction", "Extract"),
        ("import_file", "o", "import_file", "Import"),
        ("synthesis", "t", "synthesis", "Synthesis"),
        ("refresh", "r", "refresh", "Refresh"),
        HELP,
        ("quit", "q", "app.quit", "Quit"),
    ),
    "screening": (
        ("include", "i", "decide('include')", "Include"),
        ("exclude", "e", "decide('exclude')", "Exclude"),
        ("maybe", "m", "decide('maybe')", "Maybe"),
        ("skip", "s", "skip", "Skip"),
        ("not_retrieved", "r", "not_retrieved", "Not retrieved"),
        ("attach", "a", "attach", "Attach PDF"),
        ("link_study", "l", "link_study", "Link reports"),
        ("undo", "u", "undo", "Undo"),
        ("note", "n", "note", "Note", HIDDEN),
        ("tag", "t", "tag", "Tag", HIDDEN),
        ("search", "slash", "search", "Search", HIDDEN),
        ("criteria", "c", "criteria", "Criteria", HIDDEN),
        ("keywords", "k", "keywords", "Edit keywords", HIDDEN),
        ("random_check", "x", "start_check", "Random check", HIDDEN),
        HELP,
        BACK,
    ),
    "history": (
        ("include", "i", "change('include')", "Include"),
        ("exclude", "e", "change('exclude')", "Exclude"),
        ("maybe", "m", "change('maybe')", "Maybe"),
        ("filter", "slash", "filter", "Filter"),
        BACK,
        HELP,
    ),
    "duplicates": (
        ("same", "y", "decide('same')", "Same"),
        ("different", "n", "decide('different')", "Different"),
        ("skip", "s", "skip", "Skip"),
        ("undo", "u", "undo", "Undo"),
        HELP,
        BACK,
    ),
    "conflicts": (
        ("include", "i", "resolve('include')", "Include"),
        ("exclude", "e", "resolve('exclude')", "Exclude"),
        ("maybe", "m", "resolve('maybe')", "Maybe"),
        BACK,
        HELP,
    ),
    "extraction": (
        ("open", "enter", "open", "Extract"),
        ("reconcile", "r", "reconcile", "Reconcile"),
        BACK,
        HELP,
    ),
    "extract_form": (
        ("complete", "ctrl+s", "complete", "Complete"),
        ("open_full_text", "ctrl+o", "open_full_text", "Open full text"),
        ("reconcile", "ctrl+r", "reconcile", "Reconcile"),
        ("back", "escape", "back", "Back"),
    ),
    "group": (
        ("edit_cell", "enter", "edit_cell", "Edit cell"),
        ("add_row", "a", "add_row", "Add row"),
        ("remove_row", "x,delete", "remove_row", "Remove row"),
    ),
    "reconcile": (
        ("take_first", "1", "take(0)", "Take 1st"),
        ("take_second", "2", "take(1)", "Take 2nd"),
        ("type_value", "t,enter", "type_value", "Type value"),
        BACK,
        HELP,
    ),
    "synthesis": (
        ("rows", "r", "pick('rows')", "Rows field"),
        ("cols", "c", "pick('cols')", "Columns field"),
        ("swap", "w", "swap", "Swap"),
        ("list_cell", "l", "list_cell", "List studies"),
        BACK,
        HELP,
    ),
}


@dataclass(frozen=True)
class KeyInfo:
    """One remappable binding: its id, what it does, its default and current keys."""

    id: str
    description: str
    default: str
    key: str


def _binding(screen: str, row: tuple[str, ...]) -> Binding:
    name, key, action, description, *rest = row
    return Binding(key, action, description, id=f"{screen}.{name}", show=HIDDEN not in rest)


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
