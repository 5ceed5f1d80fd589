"""Hand-made record pairs of the kinds the dedup literature and tools describe (Rathbone et
al. 2015, ASySD, bib-dedupe's docs, Covidence's and EndNote's notes), none of them taken
from the labelled sets: pairs that must never be merged automatically, and copies of one
article (PubMed against Embase and the like) that must be merged or at least queued.

Each case is two records written as RIS, imported and deduplicated by the real service
(`verdict`), as a person would with `litsift import` and `litsift dedup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review.dedup import service
from review.service import import_files, open_review

TITLE = "Intensive glucose control and cardiovascular outcomes in older adults with heart failure"
ARTICLE: dict[str, Any] = {
    "type": "JOUR",
    "title": TITLE,
    "authors": ["Lindqvist, Maria K.", "Okafor, Chidi", "Brennan, Patrick J."],
    "year": "2019",
    "journal": "European Journal of Heart Failure",
    "volume": "21",
    "issue": "4",
    "pages": "455-463",
    "doi": "10.1002/ejhf.1432",
    "abstract": "Background: whether tight glycaemic control helps older adults with heart "
    "failure is unknown. Methods: we randomised 1204 patients...",
}
# the article as PubMed exports it (abbreviated journal, initials, short page range, PMID)
PUBMED = dict(
    ARTICLE,
    authors=["Lindqvist MK", "Okafor C", "Brennan PJ"],
    journal="Eur J Heart Fail",
    pages="455-63",
    pmid="31012345",
)
# a letter's authors (a reply or comment is written by someone else)
LETTER_AUTHORS = ["Haddad, Samir", "Kowalski, Marek"]
NO_IDS = {"doi": "", "pages": "", "issue": "", "abstract": ""}


def _with(base: dict[str, Any], *extra: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = dict(base)
    for e in extra:
        out.update(e)
    out.update(changes)
    return out


def _notice(prefix: str, **changes: Any) -> dict[str, Any]:
    """A notice about the article: its title after `prefix`, its own place in the journal."""
    return _with(ARTICLE, NO_IDS, title=prefix + TITLE, **changes)


def _grey(title: str, author: str, year: str, **changes: Any) -> dict[str, Any]:
    rec = {"type": "RPRT", "title": title, "authors": [author], "year": year}
    return dict(rec, **changes)


NICE = "National Institute for Health and Care Excellence"


@dataclass(frozen=True)
class Case:
    """Two records and what must happen to them: `apart` (never merged automatically),
    `link` (merged, or at least queued for a person) or `merge` (merged automatically)."""

    name: str
    a: dict[str, Any]
    b: dict[str, Any]
    expect: str


# a Cochrane protocol and its review: one title, one CD number, DOIs one version apart
COCHRANE = {
    "type": "JOUR",
    "title": "Exercise-based rehabilitation for older adults with heart failure",
    "authors": ["Lindqvist, Maria K.", "Okafor, Chidi"],
    "journal": "Cochrane Database of Systematic Reviews",
    "pages": "CD012345",
}


def _series(
    name: str, title: str, numbers: tuple[str, str], author: str, years: tuple[str, str]
) -> Case:
    """Two reports of a grey-literature series: one title, two numbers or years."""
    a, b = (_grey(title.format(n), author, y) for n, y in zip(numbers, years, strict=True))
    return Case(name, a, b, "apart")


def _twice(name: str, **changes: Any) -> Case:
    """The same record twice (no identifiers): two different items that look alike."""
    return Case(name, _with(ARTICLE, NO_IDS, **changes), _with(ARTICLE, NO_IDS, **changes), "apart")


CHAPTER_BOOK = {
    "type": "CHAP",
    "journal": "Oxford Textbook of Heart Failure",
    "isbn": "9780198766223",
    "year": "2022",
    "authors": ["McDonagh, Theresa"],
}

APART = [
    Case("erratum", ARTICLE, _notice("Erratum: ", pages="1120", issue="9"), "apart"),
    Case("correction-to", ARTICLE, _notice("Correction to: "), "apart"),
    Case(
        "corrigendum-quoted",
        ARTICLE,
        _notice("Corrigendum to “", title_suffix="” [Eur J Heart Fail 21 (2019) 455-463]"),
        "apart",
    ),
    Case("retraction-notice", ARTICLE, _notice("Retraction notice to: ", year="2021"), "apart"),
    Case("notice-of-retraction", ARTICLE, _notice("Notice of retraction: "), "apart"),
    Case("expression-of-concern", ARTICLE, _notice("Expression of concern: "), "apart"),
    Case("withdrawn", ARTICLE, _notice("WITHDRAWN: "), "apart"),
    Case("reply-to", ARTICLE, _notice("Reply to: ", authors=LETTER_AUTHORS), "apart"),
    Case("response-to", ARTICLE, _notice("Response to: ", authors=LETTER_AUTHORS), "apart"),
    Case("comment-on", ARTICLE, _notice("Comment on: ", authors=LETTER_AUTHORS), "apart"),
    Case("re-letter", ARTICLE, _notice("Re: ", authors=LETTER_AUTHORS), "apart"),
    # the authors answer a letter about their article: same authors, journal and year
    Case("re-authors-reply", ARTICLE, _notice("Re: "), "apart"),
    Case("in-reply", ARTICLE, _notice("In reply: "), "apart"),
    Case("letter-prefix", ARTICLE, _notice("Letter: ", authors=LETTER_AUTHORS), "apart"),
    Case("correspondence", ARTICLE, _notice("Correspondence: "), "apart"),
    Case(
        "part-1-2",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ": part 1",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ": part 2",
        ),
        "apart",
    ),
    Case(
        "part-I-II",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ". Part I",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ". Part II",
        ),
        "apart",
    ),
    Case(
        "part-one-two",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title="Part one. " + TITLE,
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title="Part two. " + TITLE,
        ),
        "apart",
    ),
    Case(
        "part-A-B",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ", part A",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ", part B",
        ),
        "apart",
    ),
    Case(
        "series-II",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + " II",
        ),
        "apart",
    ),
    Case(
        "protocol-vs-results",
        _with(
            ARTICLE,
            NO_IDS,
            title=TITLE + " (GLYCO-HF): study protocol for a randomised controlled trial",
            journal="BMJ Open",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            title=TITLE + " (GLYCO-HF): a randomised controlled trial",
            journal="BMJ Open",
        ),
        "apart",
    ),
    Case(
        "protocol-suffix",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ": protocol for a randomised trial",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
        ),
        "apart",
    ),
    Case(
        "rationale-and-design",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ": rationale and design of the GLYCO-HF trial",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title=TITLE + ": the GLYCO-HF trial",
        ),
        "apart",
    ),
    Case(
        "cochrane-protocol-vs-review",
        _with(COCHRANE, year="2018", doi="10.1002/14651858.CD012345"),
        _with(COCHRANE, year="2019", doi="10.1002/14651858.CD012345.pub2"),
        "apart",
    ),
    # a guideline's executive summary, and a review and its update (different pages unknown)
    Case(
        "executive-summary",
        _with(ARTICLE, NO_IDS, title="Executive summary: " + TITLE),
        _with(ARTICLE, NO_IDS),
        "apart",
    ),
    Case(
        "an-update",
        _with(ARTICLE, NO_IDS, title=TITLE + ": an update"),
        _with(ARTICLE, NO_IDS),
        "apart",
    ),
    Case(
        "abstract-two-meetings-supplement",
        _with(
            ARTICLE, NO_IDS, type="ABST", journal="Circulation", volume="138 (Suppl 1)", year="2018"
        ),
        _with(
            ARTICLE, NO_IDS, type="ABST", journal="Circulation", volume="140 (Suppl 1)", year="2019"
        ),
        "apart",
    ),
    Case(
        "abstract-two-meetings-named",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            type="CONF",
            journal="European Society of Cardiology Congress 2018",
            volume="",
            year="2018",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            type="CONF",
            journal="European Society of Cardiology Congress 2019",
            volume="",
            year="2019",
        ),
        "apart",
    ),
    # an abstract in the journal's meeting supplement and the full paper in a regular issue
    Case(
        "abstract-vs-full-paper",
        _with(
            ARTICLE,
            NO_IDS,
            type="ABST",
            journal="Diabetes",
            volume="67",
            issue="Suppl 1",
            pages="A123",
            year="2018",
        ),
        _with(
            ARTICLE,
            journal="Diabetes",
            volume="67",
            issue="10",
            pages="2001-2010",
            year="2018",
            doi="",
        ),
        "apart",
    ),
    Case(
        "thesis-vs-article",
        _with(ARTICLE, NO_IDS, type="THES", journal="", volume="", year="2019"),
        _with(ARTICLE, doi=""),
        "apart",
    ),
    # two trials registered with one sponsor's boilerplate title
    Case(
        "registry-two-trials",
        {
            "type": "JOUR",
            "title": "A study of pembrolizumab in participants with advanced solid tumours",
            "authors": ["Merck Sharp & Dohme LLC"],
            "year": "2019",
            "journal": "ClinicalTrials.gov",
            "url": "https://clinicaltrials.gov/show/NCT03012345",
        },
        {
            "type": "JOUR",
            "title": "A study of pembrolizumab in participants with advanced solid tumours",
            "authors": ["Merck Sharp & Dohme LLC"],
            "year": "2019",
            "journal": "ClinicalTrials.gov",
            "url": "https://clinicaltrials.gov/show/NCT03098765",
        },
        "apart",
    ),
    Case(
        "two-wangs-no-journal",
        {
            "type": "JOUR",
            "title": "Clinical observation of acupuncture in the treatment of insomnia",
            "authors": ["Wang, Li", "Zhang, Yan"],
            "year": "2019",
        },
        {
            "type": "JOUR",
            "title": "Clinical observation of acupuncture in the treatment of insomnia",
            "authors": ["Wang, Yu", "Li, Xiaoming"],
            "year": "2019",
        },
        "apart",
    ),
    _series("annual-report-year", "Annual report {}", ("2019", "2020"), NICE, ("2020", "2020")),
    _series(
        "surveillance-report-year",
        "English surveillance programme for antimicrobial utilisation and resistance: report {}",
        ("2019", "2020"),
        "Public Health England",
        ("2019", "2020"),
    ),
    _series(
        "working-paper-number",
        "Social determinants of health inequalities in Europe. Working paper No. {}",
        ("12", "13"),
        "Marmot, Michael",
        ("2016", "2016"),
    ),
    Case(
        "update-by-two-bodies",
        _grey("Social impact bonds: an update", "Social Finance", "2016"),
        _grey("Social impact bonds: an update", "National Audit Office", "2016"),
        "apart",
    ),
    Case(
        "update-by-unnamed-bodies",
        _grey("Social impact bonds: an update", "", "2016", journal="Social Finance"),
        _grey("Social impact bonds: an update", "", "2016", journal="National Audit Office"),
        "apart",
    ),
    Case(
        "chapters-of-one-book",
        _with(CHAPTER_BOOK, title="Epidemiology of heart failure in older adults", pages="1-18"),
        _with(
            CHAPTER_BOOK, title="Pathophysiology of heart failure in older adults", pages="19-40"
        ),
        "apart",
    ),
    Case(
        "chapters-introduction",
        _with(CHAPTER_BOOK, title="Introduction", pages=""),
        _with(CHAPTER_BOOK, title="Introduction", pages="", isbn="9780198766230"),
        "apart",
    ),
    Case(
        "editorial-same-author",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title="Editorial",
        ),
        _with(ARTICLE, NO_IDS, title="Editorial", volume="22"),
        "apart",
    ),
    Case(
        "introduction-same-author-year",
        _with(ARTICLE, NO_IDS, title="Introduction", journal=""),
        _with(ARTICLE, NO_IDS, title="Introduction", journal="", volume=""),
        "apart",
    ),
    _twice("letter-alone", title="Letter"),
    _twice("untitled", title="Untitled", journal="", volume=""),
    _twice("no-title-available", title="[No title available]", volume=""),
    _twice("not-available", title="[Not Available].", volume=""),
    _twice("no-title-at-all", title="", volume=""),
    Case(
        "duplicate-publication-two-volumes",
        _with(ARTICLE, doi=""),
        _with(ARTICLE, doi="", year="2020", volume="22", issue="2", pages="101-109"),
        "apart",
    ),
    Case(
        "duplicate-publication-two-journals",
        _with(ARTICLE, doi=""),
        _with(ARTICLE, doi="", journal="Heart", volume="105", issue="", pages=""),
        "apart",
    ),
    Case(
        "same-english-title-two-languages",
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title="[Treatment of heart failure in the elderly]. Behandlung der "
            "Herzinsuffizienz im Alter",
            language="German",
            journal="",
            authors=["Müller, Hans"],
            volume="",
        ),
        _with(
            ARTICLE,
            NO_IDS,
            NO_IDS,
            title="[Treatment of heart failure in the elderly]. Traitement de "
            "l'insuffisance cardiaque chez le sujet âgé",
            language="French",
            journal="",
            authors=["Müller, Hans"],
            volume="",
        ),
        "apart",
    ),
    Case(
        "preprint-retitled",
        _with(
            ARTICLE,
            title="Tight glucose control in older people with heart failure: preliminary report",
            journal="medRxiv",
            year="2018",
            doi="",
            volume="",
            issue="",
            pages="",
        ),
        _with(ARTICLE, doi=""),
        "apart",
    ),
    Case(
        "preprint-same-title",
        _with(
            ARTICLE,
            journal="medRxiv",
            year="2018",
            doi="10.1101/2018.11.02.18008923",
            volume="",
            issue="",
            pages="",
        ),
        ARTICLE,
        "apart",
    ),
]

LINK = [
    Case("pubmed-vs-embase", PUBMED, _with(ARTICLE, doi="", abstract=""), "link"),
    Case(
        "html-markup",
        _with(
            ARTICLE,
            title="Intensive <i>glucose</i> control and CO<sub>2</sub> retention "
            "in older adults with heart failure",
        ),
        _with(
            ARTICLE,
            title="Intensive glucose control and CO2 retention in older adults with heart failure",
            doi="",
        ),
        "link",
    ),
    Case(
        "mathml-greek",
        _with(
            ARTICLE,
            title="Plasma <mml:math><mml:mi>β</mml:mi></mml:math>-amyloid and "
            "cardiovascular outcomes in older adults with heart failure",
        ),
        _with(
            ARTICLE,
            title="Plasma beta-amyloid and cardiovascular outcomes in older adults "
            "with heart failure",
            doi="",
        ),
        "merge",
    ),
    Case(
        "latex-greek",
        _with(
            ARTICLE,
            title="Plasma $\\beta$-amyloid and cardiovascular outcomes in older "
            "adults with heart failure",
        ),
        _with(
            ARTICLE,
            title="Plasma β-amyloid and cardiovascular outcomes in older adults with heart failure",
            doi="",
        ),
        "merge",
    ),
    Case(
        "greek-spelt-out",
        _with(ARTICLE, title="TNF-α and IL-1β in heart failure"),
        _with(ARTICLE, title="TNF-alpha and IL-1beta in heart failure", doi=""),
        "merge",
    ),
    Case(
        "greek-kappa",
        _with(ARTICLE, title="NF-κB signalling in heart failure"),
        _with(ARTICLE, title="NF-kappaB signaling in heart failure", doi=""),
        "merge",
    ),
    Case(
        "british-american",
        _with(
            ARTICLE,
            title="Randomised trial of paediatric haemorrhage and tumour care in "
            "specialist centres: organisational behaviour",
        ),
        _with(
            ARTICLE,
            title="Randomized trial of pediatric hemorrhage and tumor care in "
            "specialist centers: organizational behavior",
            doi="",
        ),
        "merge",
    ),
    Case(
        "british-american-short",
        _with(ARTICLE, title="Oesophageal oedema in anaemia", pages="455-6"),
        _with(ARTICLE, title="Esophageal edema in anemia", pages="455-456", doi=""),
        "merge",
    ),
    Case("trailing-period", ARTICLE, _with(ARTICLE, title=TITLE + ".", doi=""), "link"),
    Case(
        "bracketed-translation",
        _with(ARTICLE, title="[" + TITLE + "]", journal="Dtsch Med Wochenschr", language="German"),
        _with(
            ARTICLE,
            title=TITLE,
            journal="Deutsche Medizinische Wochenschrift",
            language="German",
            doi="",
        ),
        "link",
    ),
    Case(
        "bracketed-translation-with-original",
        _with(
            ARTICLE,
            title="[" + TITLE + "]. Intensive Blutzuckerkontrolle bei älteren "
            "Menschen mit Herzinsuffizienz",
            language="German",
        ),
        _with(ARTICLE, title=TITLE, language="ger", doi=""),
        "link",
    ),
    # a letter without a title, exported by two databases: its DOI and citation still merge it
    Case(
        "no-title-same-doi",
        _with(PUBMED, title="[No title available]"),
        _with(ARTICLE, title="[Not Available]."),
        "merge",
    ),
    Case("missing-abstract", ARTICLE, _with(ARTICLE, abstract=""), "link"),
    Case("doi-in-one-copy", ARTICLE, _with(ARTICLE, doi=""), "link"),
    Case(
        "doi-case-and-url", ARTICLE, _with(ARTICLE, doi="https://doi.org/10.1002/EJHF.1432"), "link"
    ),
    Case("doi-prefix", ARTICLE, _with(ARTICLE, doi="doi:10.1002/ejhf.1432."), "link"),
    Case("page-range-short", ARTICLE, _with(ARTICLE, pages="455-63", doi=""), "link"),
    Case("year-off-by-one", ARTICLE, _with(ARTICLE, year="2018", doi=""), "link"),
    Case(
        "everything-at-once",
        _with(PUBMED, title="TNF-α in paediatric heart failure: a randomised trial"),
        _with(
            ARTICLE,
            title="TNF-alpha in pediatric heart failure: a randomized trial.",
            year="2018",
            doi="",
            abstract="",
        ),
        "merge",
    ),
]

# an ahead-of-print copy: no volume, issue or pages yet (and often no DOI in Embase)
EPUB = {"volume": "", "issue": "", "pages": "", "doi": "", "abstract": ""}

LINK_WITHOUT_CITATION = [
    Case("epub-year-before-print", ARTICLE, _with(ARTICLE, EPUB, year="2018"), "link"),
    Case("epub-initials-abbrev", ARTICLE, _with(PUBMED, EPUB, pmid=""), "link"),
    Case(
        "greek-spelt-out-epub",
        _with(ARTICLE, title="TNF-α and IL-1β in heart failure with preserved ejection fraction"),
        _with(
            ARTICLE,
            EPUB,
            title="TNF-alpha and IL-1beta in heart failure with preserved ejection fraction",
        ),
        "merge",
    ),
    Case(
        "british-american-epub",
        _with(
            ARTICLE,
            title="Randomised trial of paediatric haemorrhage care: organisational "
            "behaviour in specialist centres",
        ),
        _with(
            ARTICLE,
            EPUB,
            title="Randomized trial of pediatric hemorrhage care: "
            "organizational behavior in specialist centers",
        ),
        "merge",
    ),
    Case(
        "html-markup-epub",
        _with(
            ARTICLE,
            title="Intensive <i>glucose</i> control and CO<sub>2</sub> retention "
            "in older adults with heart failure",
        ),
        _with(
            ARTICLE,
            EPUB,
            title="Intensive glucose control and CO2 retention in older adults with heart failure",
        ),
        "link",
    ),
    Case(
        "everything-at-once-epub",
        _with(PUBMED, title="TNF-α in paediatric heart failure: a randomised trial"),
        _with(
            ARTICLE,
            EPUB,
            title="TNF-alpha in pediatric heart failure: a randomized trial.",
            year="2018",
        ),
        "merge",
    ),
]

CASES = APART + LINK + LINK_WITHOUT_CITATION


def to_ris(rec: dict[str, Any]) -> str:
    """One record as RIS (page range split into SP/EP as databases write it)."""
    lines = [f"TY  - {rec.get('type', 'JOUR')}"]
    title = rec.get("title", "") + rec.get("title_suffix", "")
    if title:
        lines.append(f"TI  - {title}")
    lines += [f"AU  - {a}" for a in rec.get("authors", []) if a]
    tags = {"year": "PY", "journal": "T2", "volume": "VL", "issue": "IS", "doi": "DO",
            "abstract": "AB", "language": "LA", "isbn": "SN", "url": "UR"}  # fmt: skip
    lines += [f"{tag}  - {rec[f]}" for f, tag in tags.items() if rec.get(f)]
    if rec.get("pmid"):
        lines.append(f"AN  - PMID:{rec['pmid']}")
    if rec.get("pages"):
        sp, _, ep = str(rec["pages"]).partition("-")
        lines.append(f"SP  - {sp}")
        if ep:
            lines.append(f"EP  - {ep}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def verdict(case: Case, folder: Path) -> tuple[str, str]:
    """What the service decides for a case: merged, queued or distinct, and the reason."""
    path = folder / f"{case.name}.ris"
    path.write_text(to_ris(case.a) + "\n" + to_ris(case.b), encoding="utf-8")
    store = open_review(str(folder / f"{case.name}.db"), name=case.name)
    try:
        assert import_files(store, [path])[0].imported == 2
        summary = service.run_dedup(store)
        pairs = service.pair_rows(store)
        reason = pairs[0]["reason"] if pairs else ""
        if summary.clusters:
            return "merged", reason
        return (pairs[0]["decision"], reason) if pairs else ("distinct", "never compared")
    finally:
        store.dispose()
