"""Pair scoring: evidence for and against two records being the same publication.

Each field adds log-odds points (positive: same publication, negative: different); the sum
goes through a logistic function to give a score in [0, 1], and every notable piece of
evidence is written into a reason a person can read ("title 97%, same DOI, authors 4/5,
pages differ"). Some evidence is a *conflict* — two different DOIs, "Part 1" against
"Part 2", an erratum against its article — and a conflicting pair is never merged
automatically, whatever its score.

The weights are set by hand and checked against the labelled sets in ../shared/dedup
(see bench/dedup_bench.py); `Weights` keeps them as plain data so a run can be reproduced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from review.dedup.markers import marker_vetoes
from review.dedup.normalize import MatchRecord, is_generic_title, wordset
from review.dedup.vetoes import (
    ERRATUM_OF,
    SAME_CITATION,
    erratum_of,
    first_authors_differ,
    identifier_vetoes,
    needs_more_than_title,
    same_citation,
)

GROUP_WORDS = wordset(
    "group study trial consortium investigators collaborative committee network "
    "society collaboration team"
)
_DOI_VERSION = re.compile(r"(\.pub\d+|\.v\d+|/v\d+|v\d+)$")


@dataclass(frozen=True)
class Weights:
    """Log-odds points per piece of evidence (plain data: stored with each run)."""

    prior: float = -4.0
    doi_same: float = 5.0
    doi_conflict: float = -7.0
    pmid_same: float = 5.0
    pmid_conflict: float = -7.0
    title_exact: float = 6.5
    first_author: float = 1.5
    authors_most: float = 1.5
    authors_none: float = -3.5
    year_same: float = 1.0
    year_off_by_one: float = -0.5
    year_far: float = -4.0
    journal_same: float = 1.0
    journal_differ: float = -2.0
    volume_same: float = 1.0
    volume_differ: float = -2.5
    page_same: float = 2.0
    page_differ: float = -3.0
    citation_same: float = 2.0
    numbers_conflict: float = -5.0
    numbers_missing: float = -1.5
    notice_conflict: float = -6.0

    def get_params(self) -> dict[str, float]:
        """The weights as a plain dict."""
        return asdict(self)


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True, slots=True)
class PairScore:
    """The verdict on one pair: score in [0, 1], readable reason, whether it conflicts (a
    veto: never merged automatically) and `ask`, a reason to queue it whatever its score
    ("erratum of", "same citation, titles differ")."""

    score: float
    reason: str
    conflict: bool
    ask: str = ""

    def mergeable(self, auto_threshold: float) -> bool:
        """Whether this pair alone may be merged automatically."""
        return not self.conflict and self.score >= auto_threshold


def title_similarity(a: MatchRecord, b: MatchRecord) -> float:
    """Similarity of two normalised titles in [0, 1]; a truncated title matches its full form."""
    if not a.title or not b.title:
        return 0.0
    if a.title == b.title:
        return 1.0
    sim = max(fuzz.ratio(a.title, b.title), fuzz.token_sort_ratio(a.title, b.title)) / 100
    return max(sim, _truncation(a.title, b.title))


def _truncation(x: str, y: str, *, inside: bool = True) -> float:
    """0.96 for a truncated title, 0.93 for a title without its subtitle or a title inside
    a longer one (original-language title plus its translation; checked only with
    `inside`), else 0."""
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if len(short) >= 40 and long.startswith(short[: len(short) - 3]):
        return 0.96
    if short.count(" ") >= 2 and long.startswith(short + " "):
        return 0.93
    if (
        inside
        and len(short) >= 40
        and short.count(" ") >= 5
        and fuzz.partial_ratio(short, long) >= 97
    ):
        return 0.93
    return 0.0


def _mostly_inside(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether most significant words of the shorter title occur in the longer one."""
    short, long = (a, b) if len(a.title) <= len(b.title) else (b, a)
    if len(short.title) < 40 or len(short.tokens) < 4:
        return False
    return len(set(short.tokens) & set(long.tokens)) >= 0.8 * len(set(short.tokens))


def _title_points(sim: float, w: Weights) -> float:
    if sim >= 0.995:
        return w.title_exact
    if sim >= 0.97:
        return w.title_exact - 1.0
    if sim >= 0.93:
        return w.title_exact - 2.5
    if sim >= 0.88:
        return w.title_exact - 4.5
    if sim >= 0.80:
        return 0.0
    if sim >= 0.65:
        return -2.5
    if sim >= 0.5:
        return -4.0
    return -8.0


def _journal_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same journal, allowing abbreviations ("curr opin lipidol" ~ "current opinion lipidology")."""
    if a == b:
        return True
    ca, cb = "".join(a), "".join(b)
    short, long = (a, b) if len(ca) <= len(cb) else (b, a)
    if not short:
        return False
    if ca == cb:
        return True
    i = 0
    for word in long:  # every abbreviated word abbreviates a later full word, in order
        if i < len(short) and _abbreviates(short[i], word):
            i += 1
    if i == len(short) and (len(short) >= 2 or len(long) == 1):
        return True
    if len(short) == 1 and len(short[0]) >= 8 and _abbreviates(short[0], "".join(long)):
        return True  # "jthoraccardiovascsurg"
    if len(short) == 1 and 3 <= len(short[0]) <= 7 and len(long) >= 2:
        return _acronym(short[0], long)  # "amcis", "bmj"
    return fuzz.ratio(" ".join(a), " ".join(b)) >= 90


def _abbreviates(abbr: str, word: str) -> bool:
    """Whether `abbr` abbreviates `word`: same first letter, letters in order ("dtsch" of
    "deutsche", "j" of "journal")."""
    if not abbr or abbr[0] != word[0] or len(abbr) > len(word):
        return False
    if word.startswith(abbr):
        return True
    pos = 0
    for ch in abbr:
        pos = word.find(ch, pos) + 1
        if pos == 0:
            return False
    return True


def _acronym(acr: str, words: tuple[str, ...]) -> bool:
    """Whether `acr` is an acronym of `words`: every word starts one of its letters, in
    order, and the other letters come from inside the word before ("amcis" of "americas
    conference information systems")."""

    def match(i: int, w: int, pos: int) -> bool:
        if i == len(acr):
            return w == len(words)
        if w < len(words) and words[w][0] == acr[i] and match(i + 1, w + 1, 1):
            return True  # start the next word
        if w > 0:  # continue inside the current word
            nxt = words[w - 1].find(acr[i], pos)
            return nxt != -1 and match(i + 1, w, nxt + 1)
        return False

    return match(0, 0, 0)


def _doi_stem(doi: str) -> str:
    return _DOI_VERSION.sub("", doi)


def score_pair(
    a: MatchRecord, b: MatchRecord, *, title_sim: float | None = None, w: Weights = DEFAULT_WEIGHTS
) -> PairScore:
    """Score one pair of prepared records."""
    pts = w.prior
    why: list[str] = []
    conflict = doi_conflict = False
    sim = title_similarity(a, b) if title_sim is None else title_sim
    title_pts = _title_points(sim, w)
    if is_generic_title(a.tokens) or is_generic_title(b.tokens):
        # "Editorial" in two records says little (a title recurring with two DOIs may not)
        title_pts = min(title_pts, w.title_exact - 4.5)
    shared_id = bool(a.doi and a.doi == b.doi) or bool(a.pmid and a.pmid == b.pmid)
    if not (a.title or b.title) and shared_id:
        title_pts = 0.0  # two untitled copies ("[No title available]") of one DOI or PMID
    pts += title_pts
    why.append(
        "no titles"
        if not (a.title or b.title)
        else "same title"
        if sim >= 0.995
        else f"title {sim:.0%}"
    )
    if a.doi and b.doi:
        if a.doi == b.doi:
            pts += w.doi_same
            why.append("same DOI")
        elif _doi_stem(a.doi) == _doi_stem(b.doi):
            pts += w.doi_conflict / 4
            why.append("DOIs of two versions")
        else:
            doi_conflict = True
    if a.pmid and b.pmid:
        if a.pmid == b.pmid:
            pts += w.pmid_same
            why.append("same PMID")
        else:
            pts += w.pmid_conflict
            conflict = True
            why.append("different PMIDs")
    if a.isbns and b.isbns and not (a.isbns & b.isbns):
        pts -= 1.0
        why.append("different ISBNs")
    if a.numbers != b.numbers:
        if a.numbers and b.numbers:
            pts += w.numbers_conflict
            conflict = True
            why.append("different numbers in titles")
        else:
            pts += w.numbers_missing
            why.append("a number in one title only")
    ask = ""
    if a.notice != b.notice:
        pts += w.notice_conflict
        conflict = True
        if erratum_of(a, b):
            ask = ERRATUM_OF
            why.insert(0, "erratum of the other record")
        else:
            why.append("notice (erratum/reply/comment) against article")
    author_pts = _authors(a, b, w, why)
    pts += author_pts
    if a.year and b.year:
        d = abs(a.year - b.year)
        if d == 0:
            pts += w.year_same
        elif d == 1:
            pts += w.year_off_by_one
            why.append("years 1 apart")
        else:
            pts += w.year_far
            why.append(f"years {d} apart")
    same_journal = bool(a.journal and b.journal) and _journal_match(a.journal, b.journal)
    if a.journal and b.journal:
        if same_journal:
            pts += w.journal_same
            why.append("same journal")
        elif a.volume and a.volume == b.volume and a.page and a.page == b.page and a.year == b.year:
            pts += w.journal_differ / 4  # one journal under two names (translated, renamed)
            why.append("journal names differ (same year/volume/page)")
        else:
            pts += w.journal_differ
            why.append("journals differ")
    if a.volume and b.volume:
        if a.volume == b.volume:
            pts += w.volume_same
        elif not (a.supplement or b.supplement):  # supplements are numbered apart
            pts += w.volume_differ
            why.append("volumes differ")
    same_page = bool(a.page) and a.page == b.page
    if a.page and b.page:
        if same_page:
            pts += w.page_same
            why.append("same pages")
        elif _adjacent_first_page(a, b):
            why.append("first pages adjacent")
        else:
            pts += w.page_differ
            why.append("pages differ")
    cited_same = (
        same_page
        and a.volume == b.volume
        and a.year == b.year
        and bool(a.journal and b.journal)
        and _journal_match(a.journal, b.journal)
    )
    if cited_same and author_pts > w.first_author:
        pts += w.citation_same
        why.append("same journal/volume/page")
    if doi_conflict:
        agree = (
            sim >= 0.995
            and same_page
            and a.year == b.year
            and same_journal
            and author_pts > w.first_author
        )
        if agree:  # one DOI may be wrong: title, authors, journal, year and page agree
            pts += w.doi_conflict / 5
            why.append("different DOIs, but title/authors/journal/year/page agree")
        else:
            pts += w.doi_conflict
            why.append("different DOIs")
    vetoes = identifier_vetoes(a, b, same_journal=same_journal)
    if needs_more_than_title(a, b):
        vetoes.append("generic title without a shared DOI or citation")
    vetoes += marker_vetoes(a, b, same_journal=same_journal)
    if sim < 0.88 and not ask and same_citation(a, b, same_journal=same_journal):
        ask = SAME_CITATION
        why.insert(0, SAME_CITATION)
    if vetoes:
        conflict = True
        why.append("no automatic merge: " + ", ".join(vetoes))
    score = 1.0 / (1.0 + math.exp(-pts))
    return PairScore(round(score, 6), ", ".join(why), conflict, ask)


def _adjacent_first_page(a: MatchRecord, b: MatchRecord) -> bool:
    """A first page alone (no range) within two pages of the other's first page."""
    pa, pb = a.pages, b.pages
    if not (pa and pb) or pa[0] != pb[0]:
        return False
    single = pa[1] == pa[2] or pb[1] == pb[2]
    return single and abs(pa[1] - pb[1]) <= 2


def _authors(a: MatchRecord, b: MatchRecord, w: Weights, why: list[str]) -> float:
    if not a.authors or not b.authors:
        return 0.0
    sa, sb = a.surnames, b.surnames
    common = len(sa & sb)
    if common < min(len(sa), len(sb)):  # allow a typo or a hyphen in a surname
        for x in sa - sb:
            if any(fuzz.ratio(x, y) >= 85 or x in y or y in x for y in sb - sa if len(y) > 3):
                common += 1
    n = min(len(sa), len(sb))
    pts = 0.0
    if a.authors[0][0] == b.authors[0][0] or (common and a.authors[0][0] in sb):
        pts += w.first_author
    if common == 0:
        written_differently = bool(a.name_words & b.name_words) and not first_authors_differ(a, b)
        if written_differently or (a.name_words | b.name_words) & GROUP_WORDS:
            why.append("authors written differently (or a group author)")
            return 0.0
        why.append("no author in common")
        return w.authors_none
    why.append(f"authors {common}/{n}")
    if common >= 0.75 * n:
        pts += w.authors_most
    return pts


def score_pairs(
    records: Sequence[MatchRecord],
    pairs: Sequence[tuple[int, int]],
    *,
    w: Weights = DEFAULT_WEIGHTS,
    min_title: float = 0.6,
    min_score: float = 0.05,
    workers: int = 1,
) -> list[tuple[int, int, PairScore]]:
    """Score index pairs; pairs with dissimilar titles and no shared identifier are dropped
    cheaply (vectorised title similarity) before the detailed score, and pairs scoring
    below `min_score` after it (clustering re-scores any pair it needs)."""
    if not pairs:
        return []
    left = [records[i].title for i, _ in pairs]
    right = [records[j].title for _, j in pairs]
    ratio = process.cpdist(left, right, scorer=fuzz.ratio, workers=workers)
    tsort = process.cpdist(left, right, scorer=fuzz.token_sort_ratio, workers=workers)
    quick = np.maximum(ratio, tsort) / 100.0
    # a title inside a longer one (translation appended, truncation): partial ratio, only
    # for the few pairs that fail the plain comparison but could still be rescued
    rescue = [
        k
        for k in (int(x) for x in np.flatnonzero(quick < 0.93))
        if _mostly_inside(records[pairs[k][0]], records[pairs[k][1]])
    ]
    if rescue:
        part = process.cpdist(
            [left[k] for k in rescue],
            [right[k] for k in rescue],
            scorer=fuzz.partial_ratio,
            workers=workers,
        )
        for k, value in zip(rescue, part, strict=True):
            if value >= 97 and left[k].count(" ") >= 5 and right[k].count(" ") >= 5:
                quick[k] = max(quick[k], 0.93)
    out = []
    for k, (i, j) in enumerate(pairs):
        a, b = records[i], records[j]
        sim = float(quick[k])
        if sim < min_title:
            shared_id = (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid)
            cited = a.page and a.page == b.page and a.volume and a.volume == b.volume
            if not (shared_id or cited):
                continue
        if 0.0 < sim < 0.995:
            sim = max(sim, _truncation(a.title, b.title, inside=False))
        s = score_pair(a, b, title_sim=sim if a.title and b.title else 0.0, w=w)
        if s.score >= min_score or s.ask:
            out.append((i, j, s))
    return out


def describe(weights: Weights) -> dict[str, Any]:
    """Settings of the scorer as plain data (stored with a run)."""
    return {"weights": weights.get_params()}
