"""Where a review's include and exclude keywords occur in a text (for highlighting).

Keywords match case-insensitively on word boundaries; a phrase matches with any whitespace
between its words; a trailing `*` matches any ending (`contract*`), and plain words also
match their simple plurals. (Matching on spaCy lemmas comes with the text features.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple


class Span(NamedTuple):
    """A keyword match: text[start:end], of kind "include" or "exclude"."""

    start: int
    end: int
    kind: str


def _pattern(term: str) -> str:
    term = term.strip()
    wildcard = term.endswith("*")
    words = [re.escape(w) for w in term.rstrip("*").split()]
    body = r"\s+".join(words)
    tail = r"\w*" if wildcard else r"(?:s|es)?"
    return rf"\b{body}{tail}\b"


@lru_cache(maxsize=64)
def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    parts = [_pattern(t) for t in sorted(terms, key=len, reverse=True) if t.strip("* ")]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def keyword_spans(text: str, include: Iterable[str], exclude: Iterable[str] = ()) -> list[Span]:
    """Non-overlapping keyword matches in `text`, in order; longer terms win over shorter."""
    spans: list[Span] = []
    for kind, terms in (("include", tuple(include)), ("exclude", tuple(exclude))):
        pattern = _compile(terms)
        if pattern is not None:
            spans.extend(Span(m.start(), m.end(), kind) for m in pattern.finditer(text))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for span in spans:
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out
