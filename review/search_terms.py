"""The search box's little language: words, "quoted phrases", `#12` (record 12) and
`tag:NAME` or `tag:"a tag with spaces"`. Parsing only: `annotation.search_records` runs it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# tag:"..." | "..." | tag:word | #12 | word; an unclosed quote runs to the end of the query
_TERM = re.compile(r'(?P<tag>tag:)?"(?P<quoted>[^"]*)(?:"|$)|(?P<word>\S+)', re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """One term of a query: `text` to find in the fields, a record `id`, or a `tag` to have."""

    kind: Literal["text", "id", "tag"]
    value: str


def parse_query(query: str) -> list[Term]:
    """The terms of `query`, in order; empty phrases and a bare `tag:` are left out."""
    terms: list[Term] = []
    for m in _TERM.finditer(query):
        if m.group("word") is not None:
            w = m.group("word")
            if re.fullmatch(r"#\d+", w):
                terms.append(Term("id", w[1:]))
            elif w.lower().startswith("tag:"):
                if w[4:]:
                    terms.append(Term("tag", w[4:]))
            else:
                terms.append(Term("text", w))
        elif m.group("quoted").strip():
            terms.append(Term("tag" if m.group("tag") else "text", m.group("quoted")))
    return terms
