"""Cleaning of field values shared by every reader: DOIs, years, authors, markup, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# A DOI runs to the next space, or to a ";" or "," that starts another DOI ("10.1/a;10.1/b")
_DOI = re.compile(r"10\.\d{4,9}/(?:(?![;,]\s*(?:doi:?\s*)?10\.\d{4,9}/)\S)+", re.IGNORECASE)
_URL_TAIL = re.compile(r'[?#"]|</')  # a URL's query, fragment or quote; a closing HTML tag
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")
_PMID = re.compile(r"\d{1,9}")
_ISSN = re.compile(r"(?<![\d-])(\d{4})-?(\d{3}[\dXx])(?![\d-])")


def collapse(text: str | None) -> str:
    """Collapse runs of whitespace (newlines included) into one space and strip the ends."""
    if not text:
        return ""
    # Already clean, the common case: every whitespace character but " " (tabs, newlines,
    # \x1c-\x1f, NBSP, Unicode spaces and line separators) is unprintable, so a printable
    # text whose spaces are single and not at the ends is what split/join would return.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return " ".join(text.split())


def clean_text(text: str | None) -> str:
    """Strip HTML/JATS tags, decode entities, normalise Unicode (NFC) and collapse whitespace."""
    if not text:
        return ""
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return collapse(text)


def normalize_doi(value: str | None) -> str:
    """A bare, lower-case DOI (`10.x/y`), without resolver prefix or trailing punctuation: the
    first of several (`10.1/a; 10.1/b`, `10.1/a,10.1/b`), without a URL's query or fragment
    (`https://host/doi/10.1/a?af=R`) or a closing parenthesis that does not belong to it."""
    if not value:
        return ""
    m = _DOI.search(value.replace("%2F", "/").replace("%2f", "/"))
    if not m:
        return ""
    doi = m.group(0)
    if "://" in value[: m.start()] or "</" in doi or '"' in doi:
        doi = _URL_TAIL.split(doi, maxsplit=1)[0]
    doi = doi.rstrip(".,;]}>")
    while doi.endswith(")") and doi.count(")") > doi.count("("):
        doi = doi[:-1].rstrip(".,;]}>")
    doi = doi.lower()
    # "10.1234/." is punctuation after a prefix, not a DOI (and would not normalise again)
    return doi if doi.partition("/")[2] else ""


def parse_year(value: str | int | None) -> int | None:
    """The first plausible four-digit year in a value ("2019//", "Spring 2004"), else None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    m = _YEAR.search(value)
    return int(m.group(1)) if m else None


def normalize_pmid(value: str | None) -> str:
    """The digits of a PubMed id ("PMID: 123 [Indexed...]" -> "123")."""
    if not value:
        return ""
    m = _PMID.search(value)
    return m.group(0) if m else ""


def normalize_issn(value: str | None) -> str:
    """The first ISSN in a value, as `1234-567X` ("1365-2648 (electronic); 0309-2402" ->
    "1365-2648", "00207489" -> "0020-7489"); a value holding none is returned as it is."""
    if not value:
        return ""
    m = _ISSN.search(value)
    return f"{m.group(1)}-{m.group(2).upper()}" if m else value


def join_pages(start: str | None, end: str | None) -> str:
    """`123`, `130` -> `123-130`; either may be missing."""
    start, end = collapse(start), collapse(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def split_list(value: str | None, seps: str = ";") -> list[str]:
    """Split a delimited cell into cleaned, non-empty items."""
    if not value:
        return []
    parts = re.split("[" + re.escape(seps) + "]", value)
    return [p for p in (collapse(x) for x in parts) if p]


def dedupe_keep_order(items: list[str]) -> list[str]:
    """Drop repeated items, keeping the first occurrence."""
    seen: set[str] = set()
    out = []
    for it in items:
        if it not in seen:
            seen.add(it)
            out.append(it)
    return out
