"""CSV cells a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+cmd|...`, `-2+3`,
`@SUM(...)`), written as text.

A record's title, a note or a reason comes from a file or a person; a CSV export opened in
Excel or LibreOffice must show it, never evaluate it. Such a cell gets a leading `'` (the
spreadsheets' own "this is text" mark, not shown in the cell). Numbers (`-0.5`, `+3`) stay
as they are. The mark is exact to take off again: a value that already starts with `'`s
before a formula character gets one more, so `unguard(guard(v)) == v` for every string;
litsift's CSV reader takes it off when it reads litsift's own record export back.

Import-free, so the import's reader processes can load it.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _formula_like(value: str) -> bool:
    rest = value.lstrip("'")
    return rest.startswith(FORMULA_STARTS) and not _is_number(rest)


def guard(value: object) -> object:
    """`value` with a leading `'` when it is a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def unguard(value: str) -> str:
    """The value `guard` was given (one leading `'` taken off a guarded cell)."""
    if value.startswith("'") and _formula_like(value):
        return value[1:]
    return value
