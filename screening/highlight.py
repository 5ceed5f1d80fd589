"""Where a review's include and exclude keywords occur in a text (for highlighting).

Keywords match on word stems (Snowball stemmers, the usual stand-in for lemmas: `contract`
finds contracts, contracted and contracting; `policy` finds policies), case-insensitively, in
the record's language (English when it has no stemmer). A phrase matches its words in order
with only spaces, hyphens or slashes between them (`social impact bond` finds "social-impact
bonds"); a trailing `*` matches any word starting so (`commission*`). Longer matches win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

WORD = re.compile(r"\w+(?:['’]\w+)*")
GAP = re.compile(r"[\s\-‐‑–/]*")  # what may separate the words of a phrase

# ISO 639-1 code -> Snowball algorithm
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish",
    "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian",
    "id": "indonesian", "it": "italian", "lt": "lithuanian", "ne": "nepali", "nl": "dutch",
    "no": "norwegian", "nb": "norwegian", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "fa": "persian", "et": "estonian",
}  # fmt: skip


class Span(NamedTuple):
    """A keyword match: text[start:end], of kind "include" or "exclude"."""

    start: int
    end: int
    kind: str


@lru_cache(maxsize=64)
def _stemmer(lang: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMERS.get(lang, "english"))


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str = "en") -> str:
    """The stem of a word (lower-cased) in `lang`."""
    return str(_stemmer(lang).stemWord(word.lower()))


class _Term(NamedTuple):
    words: tuple[str, ...]  # stems, except a wildcard's last word (a lower-case prefix)
    wildcard: bool
    kind: str


def _terms(keywords: Iterable[str], kind: str, lang: str) -> list[_Term]:
    out = []
    for k in keywords:
        wildcard = k.strip().endswith("*")
        words = WORD.findall(k.rstrip().rstrip("*"))
        if not words:
            continue
        stems = [stem(w, lang) for w in words]
        if wildcard:
            stems[-1] = words[-1].lower()
        out.append(_Term(tuple(stems), wildcard, kind))
    return out


def keyword_spans(
    text: str, include: Iterable[str], exclude: Iterable[str] = (), lang: str = "en"
) -> list[Span]:
    """Non-overlapping keyword matches in `text`, in order; longer phrases win, and include
    wins over exclude for the same words."""
    terms = _terms(include, "include", lang) + _terms(exclude, "exclude", lang)
    if not terms or not text:
        return []
    tokens = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    stems = [stem(t, lang) for _, _, t in tokens]
    by_first: dict[str, list[_Term]] = {}
    prefixes: list[_Term] = []
    for t in sorted(terms, key=lambda t: -len(t.words)):
        if t.wildcard and len(t.words) == 1:
            prefixes.append(t)
        else:
            by_first.setdefault(t.words[0], []).append(t)
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        hit = None
        for t in by_first.get(stems[i], []) + prefixes:
            n = _match(t, tokens, stems, i, text)
            if n and (hit is None or n > hit[0]):
                hit = (n, t.kind)
        if hit is None:
            i += 1
            continue
        n, kind = hit
        spans.append(Span(tokens[i][0], tokens[i + n - 1][1], kind))
        i += n
    return spans


def _match(
    t: _Term, tokens: list[tuple[int, int, str]], stems: list[str], i: int, text: str
) -> int:
    """How many tokens from `i` the term covers (0: no match)."""
    n = len(t.words)
    if i + n > len(tokens):
        return 0
    for j, w in enumerate(t.words):
        k = i + j
        last = j == n - 1
        if last and t.wildcard:
            if not tokens[k][2].lower().startswith(w):
                return 0
        elif stems[k] != w:
            return 0
        if j and not GAP.fullmatch(text, tokens[k - 1][1], tokens[k][0]):
            return 0
    return n


ISO3 = {
    "eng": "en", "fre": "fr", "fra": "fr", "spa": "es", "por": "pt", "ger": "de", "deu": "de",
    "ita": "it", "dut": "nl", "nld": "nl", "english": "en", "french": "fr", "spanish": "es",
    "portuguese": "pt", "german": "de", "italian": "it", "dutch": "nl",
}  # fmt: skip


def language_of(declared: str, text: str) -> str:
    """The ISO 639-1 language of a record: as declared in its source when recognisable,
    else detected from its text."""
    d = (declared or "").strip().lower()
    if len(d) == 2 and d.isalpha():
        return d
    if d in ISO3:
        return ISO3[d]
    from screening.language import detect_language

    return detect_language(text) or "en"
