"""Field normalisation for matching: plain record dicts in, `MatchRecord`s out.

Everything here is pure (no database). Titles are transliterated (accents dropped), lower-cased,
stripped of punctuation, language tags and translation brackets; authors become surnames plus
first initials, whatever the input format ("Smith J.", "Smith, John", "J. Smith"); journals
lose stop words so an abbreviation can be compared word by word with the full name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from review.dedup.markers import (
    is_thesis,
    languages_of,
    meeting_marks,
    parts_of,
    report_kinds,
    trial_ids,
)
from review.dedup.spelling import american, spell_greek
from review.normalize import normalize_doi


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = wordset(
    "a an and are as at be by for from in into is of on or the to with within via its "
    "their after among between during than that this these those"
)
JOURNAL_STOP = wordset(
    "the of and in on for de la le der die das des d l et y und fur proceedings proc"
)
# Words that make a record a different publication from its lookalike.
NOTICE_WORDS = wordset(
    "erratum errata corrigendum correction retraction retracted reply response "
    "comment commentary letter editorial addendum withdrawn correspondence rejoinder rebuttal"
)
# Notices named by a phrase or a prefix rather than a word: "Expression of concern: <title>",
# a letter "Re: <title>" (the word "re" alone would catch "Re-evaluation of ...").
_CONCERN = re.compile(r"\bexpressions? of concern\b", re.IGNORECASE)
_RE_LETTER = re.compile(r"^\W*re\s*:", re.IGNORECASE)
# Words of recurring items (one in each issue): with at most one other word, a title is generic.
GENERIC_WORDS = NOTICE_WORDS | wordset(
    "editor editors introduction issue issues book books review reviews preface foreword news "
    "announcement announcements abstracts abstract contents index note notes column message "
    "president welcome obituary retraction addendum special section volume minitrack track "
    "conference proceedings meeting session summary highlights update updates corrections "
    "errata comments letters replies responses author authors reviewers acknowledgement "
    "acknowledgements acknowledgment thanks year new report reports title untitled unknown"
)
_LANG_TAG = re.compile(
    r"\[(?:in )?(?:chinese|japanese|german|french|spanish|italian|russian|polish|portuguese|"
    r"dutch|danish|swedish|norwegian|czech|hungarian|turkish|korean|hebrew|finnish|croatian|"
    r"serbian|greek|persian|arabic)[^\]]*\]",
    re.IGNORECASE,
)
# What databases write where a record has no title (MEDLINE's "[No title available]", "[Not
# Available]."): no title at all, never a title two records can share.
PLACEHOLDER_TITLES = frozenset(
    (
        "no title available", "no title", "not available", "title not available", "untitled",
        "no title given", "title unavailable", "unknown", "unknown title", "none", "na", "n a",
    )
)  # fmt: skip
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_OPEN_BRACKET = re.compile(r"\[[^\]]*$")
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")
_JOURNAL_NOISE = re.compile(r"(\. Conference:.*|\[[^\]]*\]|\([^)]*\))", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_ROMAN = {"ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8"}  # not i, v
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_PAGE = re.compile(r"[A-Za-z]*0*(\d+)")
_PAGE_RANGE = re.compile(
    r"^([A-Za-z]{0,3})0*(\d{1,6})(?:\s*-+\s*[A-Za-z]{0,3}0*(\d{1,6}))?[A-Za-z]?$"
)
_SUPPLEMENT = re.compile(r"\b(?:suppl|supplement|supp|spl|s)\b|^s\d", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"^\s*0*(\d+)\b")
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# Words of a name that are not the name itself: particles ("de", "van") and placeholders.
PARTICLES = wordset(
    "de da del della der den di do dos das du la le van von ter ten zu y st al el bin"
)
NO_AUTHOR = wordset(
    "anonymous anon unknown et al author authors editor editors na group study trial "
    "consortium investigators collaborative committee network society collaboration team"
)


def fold(text: str) -> str:
    """Lower-case ASCII: accents transliterated (é → e, ß → ss, ø → o), Greek letters spelt
    out (α → alpha), others dropped."""
    if not text:
        return ""
    if not text.isascii():
        text = spell_greek(text)
        text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
        text = text.replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("ı", "i")
        text = unicodedata.normalize("NFKD", text)
        # dashes, non-ASCII spaces and punctuation separate words ("2010–2020"); the rest
        # (combining accents, scripts without a transliteration) is dropped
        text = "".join(
            c if c.isascii() else " " if unicodedata.category(c)[0] in "PZ" else "" for c in text
        )
    return text.lower()


def normalize_title(title: str) -> str:
    """Title as words: no language tags, translation brackets, annotations ("[Review]",
    "[33 refs]", "[Erratum appears in ...]"), punctuation or case; American spelling."""
    t = _LANG_TAG.sub(" ", title or "").strip().strip('"').strip()
    if t.startswith("["):  # MEDLINE's translated title, perhaps followed by the original
        close = t.find("]")
        if close == -1:
            t = t[1:]
        elif close >= 30 or not t[close + 1 :].strip(" .;"):
            t = t[1:close]
    for pattern in (_BRACKETS, _BRACKETS, _OPEN_BRACKET):  # "[Review]", "[33 refs]", "[Erratum..."
        stripped = pattern.sub(" ", t)
        if len(stripped.strip()) >= 10:
            t = stripped
    t = fold(t).replace("'", "")
    t = " ".join(_NON_ALNUM.sub(" ", t).split())
    return "" if t in PLACEHOLDER_TITLES else american(t)


def title_tokens(norm_title: str) -> tuple[str, ...]:
    """Significant words of a normalised title (stop words removed, roman numerals as digits)."""
    return tuple(_ROMAN.get(w, w) for w in norm_title.split() if w not in STOP_WORDS)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given names) of one author as written, in any of the common formats."""
    name = (name or "").strip()
    if not name:
        return "", ""
    if "," in name:
        surname, _, given = name.partition(",")
        return surname, given
    parts = name.replace(".", ". ").split()
    if len(parts) == 1:
        return parts[0], ""
    if all(_INITIALS.match(p) for p in parts[1:]):  # "Smith J. K."
        return parts[0], " ".join(parts[1:])
    if _INITIALS.match(parts[0]):  # "J. K. Smith"
        idx = 0
        while idx < len(parts) - 1 and _INITIALS.match(parts[idx]):
            idx += 1
        return " ".join(parts[idx:]), " ".join(parts[:idx])
    return parts[-1], " ".join(parts[:-1])  # "John Smith"


def parse_author(name: str) -> tuple[str, str]:
    """(surname, first initial) of one author, in any of the common formats."""
    surname, given = split_name(name)
    sur = _NON_ALNUM.sub("", fold(surname))
    init = _NON_ALNUM.sub("", fold(given))[:1]
    return sur, init


def normalize_journal(journal: str) -> tuple[str, ...]:
    """Journal name as words without stop words ("J. Clin. Oncol." → ("j", "clin", "oncol"))."""
    folded = (
        fold(_JOURNAL_NOISE.sub(" ", journal or ""))
        .replace("&", " ")
        .replace("?", "")
        .replace("'", " ")
    )
    words = _NON_ALNUM.sub(" ", folded).split()
    return tuple(w for w in words if w not in JOURNAL_STOP and not w.isdigit())


def first_page(pages: str) -> str:
    """The first page as a bare number ("S12-8" → "12", "e1003" → "1003")."""
    m = _PAGE.search(pages or "")
    return m.group(1) if m else ""


def page_range(pages: str) -> tuple[str, int, int] | None:
    """Prefix, first and last page of a clean page field ("221-8" → ("", 221, 228),
    "e1003" → ("e", 1003, 1003)); None for anything else (months from a spreadsheet)."""
    text = _DASHES.sub("-", (pages or "").split(";")[0].split(",")[0]).strip()
    m = _PAGE_RANGE.match(text)
    if not m:
        return None
    prefix, first, last = m.group(1).lower(), m.group(2), m.group(3)
    if last is None:
        return prefix, int(first), int(first)
    if len(last) < len(first):  # "221-8": the last page written short
        last = first[: len(first) - len(last)] + last
    lo, hi = int(first), int(last)
    return prefix, lo, max(lo, hi)


def is_supplement(volume: str, issue: str, pages: str) -> bool:
    """Whether a citation is to a supplement (numbered apart from the regular issues)."""
    return any(_SUPPLEMENT.search(v or "") for v in (volume, issue, pages))


def leading_number(value: str) -> str:
    """The number a volume starts with ("12 (3) (no pagination)" → "12"), else ""."""
    m = _LEADING_NUMBER.match(value or "")
    return m.group(1) if m else ""


def plain_issue(value: str) -> frozenset[str]:
    """Issue numbers of a plain issue field ("3" → {"3"}, "3-4" → {"3", "4"}); empty for
    supplements, months and anything else, which never veto a match."""
    text = _DASHES.sub("-", value or "").strip()
    if not re.fullmatch(r"\d{1,4}(?:\s*[-/]\s*\d{1,4})?", text):
        return frozenset()
    return frozenset(str(int(x)) for x in re.findall(r"\d+", text))


def first_author_words(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(surname words, all name words) of an author, without particles or initials; both
    empty for a placeholder ("Anonymous") or a group author."""
    name = (name or "").replace("?", "")  # "Mu?oz": a letter lost to an encoding
    words = [w for w in _NON_ALNUM.sub(" ", fold(name)).split() if len(w) > 1]
    if not words or set(words) & NO_AUTHOR or len(words) > 5:
        return frozenset(), frozenset()
    surname = _NON_ALNUM.sub(" ", fold(split_name(name)[0])).split()
    return (
        frozenset(w for w in surname if len(w) > 1 and w not in PARTICLES),
        frozenset(w for w in words if w not in PARTICLES),
    )


def given_initials(name: str) -> frozenset[str]:
    """First letters of an author's given names ("Cicek, F. A." → {"f", "a"})."""
    given = split_name(name)[1]
    return frozenset(w[0] for w in _NON_ALNUM.sub(" ", fold(given)).split() if w)


def bare_number(value: str) -> str:
    """Digits of a volume or issue ("Vol. 12" → "12"), else the folded value."""
    digits = re.sub(r"\D", "", value or "")
    return digits or fold(value or "").strip()


@dataclass(slots=True)
class MatchRecord:
    """A record prepared for matching: normalised, immutable fields only."""

    key: str
    title: str
    tokens: tuple[str, ...]
    numbers: frozenset[str]
    notice: frozenset[str]
    authors: tuple[tuple[str, str], ...]
    name_words: frozenset[str]
    year: int | None
    journal: tuple[str, ...]
    volume: str
    issue: str
    page: str
    doi: str
    pmid: str
    isbns: frozenset[str]
    kind: str
    pages: tuple[str, int, int] | None = None
    supplement: bool = False
    volume_number: str = ""
    issues: frozenset[str] = frozenset()
    first_surname: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    first_initials: frozenset[str] = frozenset()
    generic: bool = False
    parts: frozenset[str] = frozenset()
    reports: frozenset[str] = frozenset()
    meeting: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    thesis: bool = False
    trials: frozenset[str] = frozenset()

    @property
    def surnames(self) -> frozenset[str]:
        return frozenset(s for s, _ in self.authors if s)


def clean_doi(doi: str) -> str:
    """A bare lower-case DOI whatever way it is written ("https://doi.org/10.1/X.",
    "doi:10.1/x", "10.1%2Fx" → "10.1/x"); "" for anything that is not a DOI."""
    return normalize_doi(unquote(doi or "").strip())


def prepare(rec: Mapping[str, Any]) -> MatchRecord:
    """Turn a record dict (the store's field names) into a `MatchRecord`."""
    title = normalize_title(str(rec.get("title") or ""))
    tokens = title_tokens(title)
    authors_raw = rec.get("authors") or []
    if isinstance(authors_raw, str):
        authors_raw = [a for a in re.split(r";| and ", authors_raw) if a.strip()]
    authors = tuple(a for a in (parse_author(str(x)) for x in authors_raw) if a[0])
    year = rec.get("year")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    first = first_author_words(str(authors_raw[0])) if authors_raw else (frozenset(), frozenset())
    isbn_raw = str(rec.get("isbn") or "")
    isbns = frozenset(
        d
        for d in (re.sub(r"[^0-9xX]", "", p) for p in re.split(r"[;,\s]", isbn_raw))
        if len(d) >= 10
    )
    return MatchRecord(
        key=str(rec.get("source_key") or rec.get("id") or ""),
        title=title,
        tokens=tokens,
        numbers=frozenset(_DIGITS.findall(_THOUSANDS.sub("", title)))
        | {t for t in tokens if t in _ROMAN.values()},
        notice=notice_words(str(rec.get("title") or ""), title),
        authors=authors,
        name_words=frozenset(
            w for a in authors_raw for w in _NON_ALNUM.sub(" ", fold(str(a))).split() if len(w) > 2
        ),
        year=year,
        journal=normalize_journal(str(rec.get("journal") or "")),
        volume=leading_number(str(rec.get("volume") or ""))
        or bare_number(str(rec.get("volume") or "")),
        issue=bare_number(str(rec.get("issue") or "")),
        page=first_page(str(rec.get("pages") or "")),
        doi=clean_doi(str(rec.get("doi") or "")),
        pmid=re.sub(r"\D", "", str(rec.get("pmid") or "")),
        isbns=isbns,
        kind=str(rec.get("type") or ""),
        pages=page_range(str(rec.get("pages") or "")),
        supplement=is_supplement(
            str(rec.get("volume") or ""), str(rec.get("issue") or ""), str(rec.get("pages") or "")
        ),
        volume_number=leading_number(str(rec.get("volume") or "")),
        issues=plain_issue(str(rec.get("issue") or "")),
        first_surname=first[0],
        first_names=first[1],
        first_initials=given_initials(str(authors_raw[0])) if authors_raw else frozenset(),
        generic=is_generic_title(tokens),
        parts=parts_of(title),
        reports=report_kinds(title),
        meeting=meeting_marks(str(rec.get("journal") or "")),
        languages=languages_of(str(rec.get("language") or "")),
        thesis=is_thesis(str(rec.get("type") or ""), str(rec.get("journal") or "")),
        trials=trial_ids(str(rec.get("title") or ""), str(rec.get("url") or "")),
    )


def notice_words(raw: str, title: str) -> frozenset[str]:
    """The words (or phrases) in a title that make it a notice, letter or reply about
    another publication ("erratum", "reply", "expression of concern", a leading "Re:")."""
    words = {t for t in title.split() if t in NOTICE_WORDS}
    if _CONCERN.search(title):
        words.add("expression of concern")
    if _RE_LETTER.match(raw):
        words.add("re:")
    return frozenset(words)


def is_generic_title(tokens: tuple[str, ...]) -> bool:
    """Whether a title says too little to identify a publication on its own: one significant
    word ("Editorial", "In this issue"), or at most one word besides those of recurring
    items ("Book review", "Letter from the editor", "Editorial introduction", "An amazing
    title")."""
    if len(tokens) <= 1:
        return True
    return len(tokens) <= 6 and sum(1 for t in tokens if t not in GENERIC_WORDS) <= 1


def mark_recurring(records: list[MatchRecord]) -> None:
    """Mark titles that recur in the file as different publications (the same title with two
    or more DOIs) as generic: they need more than the title to merge."""
    dois: dict[str, set[str]] = {}
    for r in records:
        if r.title and r.doi:
            dois.setdefault(r.title, set()).add(r.doi)
    recurring = {t for t, d in dois.items() if len(d) >= 2}
    for r in records:
        if r.title in recurring:
            r.generic = True


def prepare_all(records: Iterable[Mapping[str, Any]]) -> list[MatchRecord]:
    """`prepare` each record, in order, and mark titles that recur across the file."""
    out = [prepare(r) for r in records]
    mark_recurring(out)
    return out
