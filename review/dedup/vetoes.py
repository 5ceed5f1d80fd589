"""Precision first: evidence that forbids an automatic merge, and pairs a person must see.

A *veto* is an identifier on which two records disagree — two DOIs, two volumes, issues or
page ranges in one journal, two first authors. However alike the rest, a vetoed pair is
never merged automatically; it may only be queued for a person, with the veto as its reason.
A *generic* title ("Editorial", "Reply", "In this issue", a title recurring across the
file) identifies nothing by itself: such a pair merges only on a shared identifier or its
full citation.

The other way round, some pairs look too different to score well but a person should see
them: an erratum and the article it corrects, and two records with one citation (journal,
volume, first page, year) whose titles differ (a title and its translation).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from review.dedup.normalize import MatchRecord, wordset

ERRATUM_WORDS = wordset("erratum errata corrigendum correction corrections addendum")
# Words around an erratum's reference to its article ("Correction to: ...", "Erratum in ...").
_NOTICE_FILLER = ERRATUM_WORDS | wordset("to in for on notice author authors publisher")
ERRATUM_OF = "erratum of"
SAME_CITATION = "same citation, titles differ (a translation?)"


def _close(x: str, y: str) -> bool:
    """Two name words written alike: equal, or one spelling/transliteration apart."""
    if x == y:
        return True
    if min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    return fuzz.ratio(x, y) >= 75


def first_authors_differ(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether the first authors are two different people: no surname word of either is
    among the other's name words (particles and word order do not matter: "Goicoechea de,
    Jorge E." and "de Jorge, E. G." agree), and neither first author appears anywhere in
    the other's author list. Placeholders and group authors never differ."""
    if not (a.first_surname and b.first_surname):
        return False
    for sur, names in ((a.first_surname, b.first_names), (b.first_surname, a.first_names)):
        if any(_close(x, y) for x in sur for y in names):
            return False
    if a.authors and b.authors and (a.authors[0][0] in b.surnames or b.authors[0][0] in a.surnames):
        return False
    # given name and surname swapped ("Amber, C. F." / "Cicek, F. A.", "Xi, L F" / "Long, F X")
    swapped = any(x[0] in b.first_initials for x in a.first_surname) and any(
        y[0] in a.first_initials for y in b.first_surname
    )
    return not swapped


def identifier_vetoes(a: MatchRecord, b: MatchRecord, *, same_journal: bool) -> list[str]:
    """The identifiers two records disagree on (empty: no veto). Volume, issue and pages
    count only within one journal and when the DOIs do not already agree."""
    out = []
    if a.doi and b.doi and a.doi != b.doi:
        out.append("different DOIs")
    if same_journal and not (a.doi and a.doi == b.doi) and not (a.supplement or b.supplement):
        if a.volume_number and b.volume_number and a.volume_number != b.volume_number:
            out.append("different volumes")
        # (an issue field holding an article number, "791", is no issue)
        plausible = all(int(x) < 100 for x in a.issues | b.issues)
        if a.issues and b.issues and not (a.issues & b.issues) and plausible:
            out.append("different issues")
        if _pages_apart(a, b):
            out.append("pages do not overlap")
    if first_authors_differ(a, b):
        out.append("different first authors")
    return out


def _pages_apart(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether two page ranges cannot be one article's. A first page alone may stand for a
    range (it counts as two pages more); article numbers ("e12724") are compared only with
    article numbers."""
    pa, pb = a.pages, b.pages
    if not (pa and pb) or pa[0] != pb[0]:
        return False
    a_end = pa[2] if pa[2] > pa[1] else pa[1] + 2
    b_end = pb[2] if pb[2] > pb[1] else pb[1] + 2
    return a_end < pb[1] or b_end < pa[1]


def needs_more_than_title(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether a pair with a generic title lacks what it takes to merge: a shared DOI or
    PMID, or the same first page, year and first author."""
    if not (a.generic or b.generic):
        return False
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        return False
    same_page = bool(a.page) and a.page == b.page
    same_first = bool(a.authors and b.authors) and a.authors[0] == b.authors[0]
    return not (same_page and a.year is not None and a.year == b.year and same_first)


def _core(tokens: tuple[str, ...]) -> str:
    return " ".join(t for t in tokens if t not in _NOTICE_FILLER)


def erratum_of(a: MatchRecord, b: MatchRecord) -> bool:
    """Whether one record is an erratum (correction, corrigendum) of the other: the
    notice's title, without its notice words, is the article's title."""
    ea, eb = bool(a.notice & ERRATUM_WORDS), bool(b.notice & ERRATUM_WORDS)
    if ea == eb:
        return False
    notice, article = (a, b) if ea else (b, a)
    core, target = _core(notice.tokens), " ".join(article.tokens)
    if len(article.tokens) < 3 or not core:
        return False
    if core == target or fuzz.ratio(core, target) >= 90:
        return True
    return len(target) >= 30 and fuzz.partial_ratio(target, core) >= 95


def same_citation(a: MatchRecord, b: MatchRecord, *, same_journal: bool) -> bool:
    """Whether two records cite one place: year, volume and first page agree (not in a
    supplement), the first authors do not differ, and the journal or authors agree
    (journal names are often translated)."""
    if not (a.page and a.page == b.page and a.volume and a.volume == b.volume):
        return False
    if not (a.year and a.year == b.year) or a.supplement or b.supplement:
        return False  # a supplement page holds many abstracts
    if first_authors_differ(a, b):
        return False
    return same_journal or bool(a.authors and b.authors)
