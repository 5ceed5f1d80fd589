"""Data is data: the one place stored text (record fields, file names, paths, messages quoting
them) becomes something a terminal shows.

`safe_text` returns a Rich `Text` (never parsed as markup, so `[/]` or `[link=...]` in a title
is shown as typed) in which every character that could change what the terminal does is made
visible: C0 controls as the Unicode control pictures (ESC as ␛), DEL as ␡, C1 controls and the
bidirectional overrides and isolates as `<U+202E>`. Stored values are never changed; only what is
printed. `safe_markup` is the same text as escaped Rich markup, for an f-string that also holds
markup of ours.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

# Bidirectional embeddings, overrides and isolates, and the line/paragraph separators.
_FORMAT = {
    0x061C,
    0x200E,
    0x200F,
    0x202A,
    0x202B,
    0x202C,
    0x202D,
    0x202E,
    0x2066,
    0x2067,
    0x2068,
    0x2069,
    0x2028,
    0x2029,
}


def _table(keep_newlines: bool) -> dict[int, str]:
    table: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ .. ␟
    table[0x7F] = "\u2421"  # ␡
    for c in range(0x80, 0xA0):
        table[c] = f"<U+{c:04X}>"
    for c in _FORMAT:
        table[c] = f"<U+{c:04X}>"
    if keep_newlines:
        del table[0x0A]
        del table[0x09]
    else:
        table[0x0A] = " "
        table[0x09] = " "
    return table


_MULTILINE = _table(keep_newlines=True)
_SINGLE_LINE = _table(keep_newlines=False)


def visible(value: object, *, single_line: bool = False) -> str:
    """`value` as a string with every control and bidi-override character made visible.

    Newlines and tabs are kept, or turned into spaces when `single_line` (table cells, lists).
    A CR-LF pair counts as a newline.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n")
    return text.translate(_SINGLE_LINE if single_line else _MULTILINE)


def safe_text(value: object, style: str = "", *, single_line: bool = False) -> Text:
    """Stored text as a Rich `Text` to print: never markup, control characters made visible."""
    return Text(visible(value, single_line=single_line), style=style)


def safe_markup(value: object, *, single_line: bool = False) -> str:
    """Stored text as escaped Rich markup (control characters made visible) for an f-string."""
    return escape(visible(value, single_line=single_line))
