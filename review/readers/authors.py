"""Several authors written in one value separated by commas, as some exports do (Rayyan's RIS
`AU  - Hart, A., Mensah, K.`, Google Scholar via Publish or Perish `A Hart, K Mensah`).

A comma also separates a surname from the given names (`Smith, J.`), so a value is split only
when its shape leaves no doubt: every part is a whole name with initials (`Smith J`, `A. Hart`),
or the parts alternate surname and initials (`Hart, A., Mensah, K.`) with at least two names.
Anything else, `Smith, J.` or `Hart, Amelia, Mensah, Kwame` included, stays one value.
"""

from __future__ import annotations

import re

# One word of initials: "A", "A.", "AB", "N.A.", "J.-P.", "J-P"
_INITIALS = re.compile(r"(?:[A-Z](?:\.-?|-)?){1,4}")


def is_initials(text: str) -> bool:
    """Whether every word of `text` is initials (`A.`, `N. A.`, `JP`, `J.-P.`)."""
    words = text.split()
    return bool(words) and all(_INITIALS.fullmatch(w) for w in words)


def _whole_name(part: str) -> bool:
    """`Smith J`, `van der Berg H.`, `A. Hart`, `H van der Berg`: a surname and initials."""
    words = part.split()
    if len(words) < 2 or is_initials(part):
        return False
    return bool(_INITIALS.fullmatch(words[0]) or _INITIALS.fullmatch(words[-1]))


def _surname(part: str) -> bool:
    return bool(part) and not is_initials(part) and any(c.isalpha() for c in part)


def split_comma_names(value: str) -> list[str] | None:
    """The names in `value` when it is unambiguously a comma-separated list of several
    authors, else None (one name, or a shape that could be one)."""
    commas = value.count(",")
    if commas == 0:
        return None
    if commas < 3 and " " not in value[: value.index(",")].strip():
        return None  # the common "Smith, John A.": a one-word first part and no pairs to make
    parts = [p.strip() for p in value.split(",")]
    if parts[-1] == "":  # a trailing comma
        parts.pop()
    if len(parts) < 2 or not all(parts):
        return None
    if all(_whole_name(p) for p in parts):
        return parts
    if len(parts) >= 4 and len(parts) % 2 == 0:
        surnames, initials = parts[0::2], parts[1::2]
        if all(_surname(s) for s in surnames) and all(is_initials(i) for i in initials):
            return [f"{s}, {i}" for s, i in zip(surnames, initials, strict=True)]
    return None
