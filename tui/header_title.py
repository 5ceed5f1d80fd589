"""The header's line when the terminal is narrow: the screen's own sub-title (which screen,
which stage, who you are) stays whole and the review's name is shortened at a word with "…";
only when even that leaves no room is the sub-title cut."""

from __future__ import annotations

HEADER_SIDES = 18  # Textual's Header: the icon (8 columns) and the clock's space (10)
SEPARATOR = " — "
MIN_TITLE = 18  # below this the review's name is dropped rather than cut to a stub


def _cut(text: str, room: int, *, at_word: bool) -> str:
    """`text` in `room` characters, ending in "…" when it is shortened."""
    if len(text) <= room:
        return text
    head = text[: max(room - 1, 0)]
    if at_word and " " in head:
        head = head[: head.rindex(" ")]
    return head.rstrip(" :;,·—-") + "…"


def fit_title(title: str, sub_title: str, width: int) -> tuple[str, str]:
    """The title and sub-title to show in `width` columns (what goes between the header's
    icon and clock)."""
    if not sub_title:
        return _cut(title, width, at_word=True), sub_title
    if len(title) + len(SEPARATOR) + len(sub_title) <= width:
        return title, sub_title
    room = width - len(SEPARATOR) - len(sub_title)
    if room >= MIN_TITLE:
        return _cut(title, room, at_word=True), sub_title
    app_name = title.split(" · ")[0]
    return app_name, _cut(sub_title, width - len(SEPARATOR) - len(app_name), at_word=False)
