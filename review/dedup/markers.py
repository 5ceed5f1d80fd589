"""Explicit evidence in a record that it is a *different* publication from a lookalike.

Fuzzy scores cannot tell "Part 1" from "Part 2", a trial's protocol from its results, or
one meeting's abstract from the next year's: the titles are near-identical. These markers
are read off the record (part numbers, a trailing sequel number, report kinds, the meeting's
year or ordinal, the preprint server, the language) and compared by `marker_vetoes`; a
disagreement forbids an automatic merge (the pair may still be queued for a person).
Each rule needs words or numbers in the records, never a fitted constant.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from review.dedup.normalize import MatchRecord

_NUMBER_WORDS = {
    w: str(i)
    for i, ws in enumerate(
        (
            (),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
        )
    )
    for w in ws
}
_ROMAN = {
    r: str(i + 1)
    for i, r in enumerate(re.findall(r"\w+", "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv"))
}
# "Part 2", "part II", "Part two", "Part B", "Paper 3", "Section IV", "Vol. 2", "Book 1"
_PART = re.compile(
    r"\b(?:part|pt|paper|section|chapter|volume|vol|book)\s+"
    r"(\d{1,3}|[ivx]{1,4}|[a-h]|" + "|".join(_NUMBER_WORDS) + r")\b"
)
_PART_GUARDS = ("part", "pt ", "paper", "section", "chapter", "vol", "book")
# a sequel's number at the very end of a title ("... II", "... 2", "...: update 2019")
_TRAILING_NUMBER = re.compile(r"\b(\d{1,4}|ii|iii|iv|vi|vii|viii|ix|xi|xii)$")

# Reports of one study that are not its results paper: same title prefix, one of these added.
_REPORT_KINDS = {
    "protocol": re.compile(r"\bprotocols?\b"),
    "design": re.compile(
        r"\b(?:rationale|aims?|objectives?|methods?|methodology)\s+(?:and\s+)?design\b"
        r"|\bdesign\s+and\s+(?:rationale|methods?|methodology|baseline)\b"
    ),
    "analysis plan": re.compile(r"\banalysis plan\b"),
    "summary": re.compile(
        r"\b(?:executive|plain language|lay|patient) summary\b|\babridged\b|\bsynopsis\b"
        r"|\bsummary of (?:a |the )?(?:cochrane|systematic|guideline|review)"
    ),
    "update": re.compile(r"\bupdated?\b|\bupdates\b"),
}

_REPORT_GUARDS = ("protocol", "design", "plan", "summary", "abridged", "synopsis", "update")


def report_kinds(title: str) -> frozenset[str]:
    """Which reports other than the publication itself a normalised title says it is (a
    protocol, a design paper, a statistical analysis plan, a summary, an update)."""
    if not any(w in title for w in _REPORT_GUARDS):
        return frozenset()
    return frozenset(k for k, rx in _REPORT_KINDS.items() if rx.search(title))


# a meeting's year or ordinal in the source's name ("ESC Congress 2018", "38th Annual Meeting")
_MEETING = re.compile(r"\b(?:1[89]\d\d|20\d\d|\d{1,3}(?:st|nd|rd|th))\b")


def meeting_marks(journal: str) -> frozenset[str]:
    """Years and ordinals in a (lower-case) journal or proceedings name."""
    return frozenset(_MEETING.findall(journal.lower()))


_LANGUAGE_CODES = {
    "english": "en eng", "german": "de ger deu", "french": "fr fre fra",
    "spanish": "es spa", "italian": "it ita", "portuguese": "pt por",
    "dutch": "nl dut nld", "russian": "ru rus", "chinese": "zh chi zho",
    "japanese": "ja jpn", "polish": "pl pol", "czech": "cs cze ces", "danish": "da dan",
    "swedish": "sv swe", "norwegian": "no nor nob", "finnish": "fi fin",
    "hungarian": "hu hun", "turkish": "tr tur", "korean": "ko kor", "hebrew": "he heb",
    "greek": "el gre ell", "persian": "fa per fas", "arabic": "ar ara",
    "croatian": "hr hrv", "serbian": "sr srp",
}  # fmt: skip
_LANGUAGES = {c: name for name, codes in _LANGUAGE_CODES.items() for c in (name, *codes.split())}


def languages_of(field: str) -> frozenset[str]:
    """The languages a language field names, as English names ("ger; English" →
    {"german", "english"}); words it does not know are kept as written."""
    words = re.findall(r"[a-z]+", field.lower())
    return frozenset(_LANGUAGES.get(w, w) for w in words if w not in ("and", "language"))


def _value(v: str) -> str:
    if v.isdigit():
        return str(int(v))
    return _NUMBER_WORDS.get(v) or _ROMAN.get(v) or v


def parts_of(title: str) -> frozenset[str]:
    """The parts a normalised title names ("x part ii" → {"2"}, "part b" → {"b"})."""
    if not any(w in title for w in _PART_GUARDS):
        return frozenset()
    return frozenset(_value(m.group(1)) for m in _PART.finditer(title))


def sequel_number(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether one title is the other with a number added at its end ("Title" / "Title
    II", "Guideline" / "Guideline 2019"): a sequel, an update or the next in a series."""
    if bool(a.numbers) == bool(b.numbers):
        return False
    short, long = (a, b) if not a.numbers else (b, a)
    m = _TRAILING_NUMBER.search(long.title)
    if not (m and short.title):
        return False
    head = long.title[: m.start()].split()
    return " ".join(head[-len(short.title.split()) :]) == short.title or long.title.startswith(
        short.title + " "
    )


# trial registration numbers (ClinicalTrials.gov, ISRCTN, ANZCTR, ChiCTR, EudraCT, DRKS, CTRI,
# UMIN, IRCT, Netherlands, Korea, Pan-African, Thai registries)
_TRIAL_ID = re.compile(
    r"\b(nct\d{8}|isrctn\d{8}|actrn\d{14}|chictr[-a-z]*\d{6,}|(?:euctr)?\d{4}-\d{6}-\d{2}|"
    r"drks\d{8}|ctri/\d{4}/\d+/\d+|umin\d{9}|irct\d+n\d+|ntr\d{3,5}|kct\d{7}|"
    r"pactr\d{15}|tctr\d{11})\b",
    re.IGNORECASE,
)


def trial_ids(*fields: str) -> frozenset[str]:
    """Trial registration numbers in a record's fields (title, URL), lower-case."""
    return frozenset(m.lower() for f in fields if f for m in _TRIAL_ID.findall(f))


_THESIS = re.compile(r"thes|dissert", re.IGNORECASE)


def is_thesis(kind: str, journal: str) -> bool:
    """Whether a record is a thesis: its type says so (THES, "Dissertation"), or it is listed
    in Dissertation Abstracts (PsycINFO's way of indexing a thesis)."""
    return bool(_THESIS.search(kind)) or journal.lower().startswith("dissertation abstracts")


def abstract_and_paper(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether one record is an abstract in a supplement (one or two pages) and the other a
    paper of three or more pages in a regular issue that does not hold the abstract's page."""
    if a.supplement == b.supplement:
        return False
    abstract, paper = (a, b) if a.supplement else (b, a)
    if not (paper.pages and abstract.pages) or abstract.pages[2] - abstract.pages[1] > 1:
        return False
    lo, hi = paper.pages[1], paper.pages[2]
    return hi - lo >= 2 and not lo <= abstract.pages[1] <= hi


def marker_vetoes(a: MatchRecord, b: MatchRecord, *, same_journal: bool) -> list[str]:
    """What explicit evidence says the two records are different publications."""
    out = []
    if a.languages and b.languages and not (a.languages & b.languages):
        out.append("different languages")
    if a.meeting and b.meeting and not (a.meeting & b.meeting):
        out.append("different meetings (year or number in the source's name)")
    # a supplement's volume may be numbered apart, but two volumes *and* two years in one
    # journal are two meetings' abstract books (or two articles), never one record
    two_volumes = a.volume_number and b.volume_number and a.volume_number != b.volume_number
    if same_journal and two_volumes and a.year and b.year and a.year != b.year:
        out.append("different volumes and years")
    if a.trials and b.trials and not (a.trials & b.trials):
        out.append("different trial registration numbers")
    if a.thesis != b.thesis:
        out.append("a thesis against another publication")
    if same_journal and abstract_and_paper(a, b):
        out.append("a supplement's abstract against a paper in a regular issue")
    if a.parts != b.parts:
        out.append("different parts of a series")
    elif sequel_number(a, b):
        out.append("a number added at the end of one title (a sequel or update)")
    if a.reports != b.reports:
        kinds = " / ".join(sorted(a.reports ^ b.reports))
        out.append(f"{kinds} against another report of the study")
    return out
