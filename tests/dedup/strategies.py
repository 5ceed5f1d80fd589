"""Hypothesis strategies: bibliographic records and realistic perturbed copies of them."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import strategies as st


def _words(text: str) -> list[str]:
    return text.split()


WORDS = _words(
    "acute adolescent adults airway analysis antibiotic assessment asthma bacterial "
    "blood bronchial cancer cardiac care carcinoma cervical children chronic clinical "
    "cohort community controlled coronary cost cytology diabetes diagnosis disease "
    "effect efficacy elderly evaluation evidence exercise factors failure follow "
    "glucose health heart hospital human infection inflammatory insulin intervention "
    "kidney liver lung management markers metabolic mortality muscle neonatal obesity "
    "outcomes patients pediatric pharmacokinetics placebo pleural pneumonia "
    "prevalence prevention primary prospective pulmonary quality randomised receptor "
    "renal respiratory risk safety screening sepsis smoking stroke surgery survival "
    "syndrome systematic therapy thoracic treatment trial tuberculosis tumour vaccine "
    "vascular women"
)
SURNAMES = _words(
    "Müller García Nguyen Smith Øster Kowalski Dubois Rossi Tanaka Okafor Johansson "
    "Fernández Schäfer Novák O'Brien Papadopoulos Silva Kim Haddad Ivanova"
)
GIVEN = _words("Anna José Li Peter Zoë Marek Claire Luca Hiro Ada Lars Inés Jörg Eva Sean")
JOURNALS = (
    ("Journal of Clinical Oncology", "J Clin Oncol"),
    ("American Journal of Respiratory and Critical Care Medicine", "Am J Respir Crit Care Med"),
    ("Current Opinion in Lipidology", "Curr Opin Lipidol"),
    ("European Journal of Nuclear Medicine", "Eur J Nucl Med"),
    ("Diabetes Care", "Diabetes Care"),
    ("Deutsche Medizinische Wochenschrift", "Dtsch Med Wochenschr"),
)


@st.composite
def records(draw: Any) -> dict[str, Any]:
    """A plausible journal-article record."""
    n = draw(st.integers(6, 14))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))
    title = " ".join(words).capitalize()
    k = draw(st.integers(1, 6))
    names = draw(
        st.lists(
            st.tuples(st.sampled_from(SURNAMES), st.sampled_from(GIVEN)),
            min_size=k,
            max_size=k,
            unique_by=lambda t: t[0],
        )
    )
    journal = draw(st.sampled_from(JOURNALS))
    first = draw(st.integers(1, 2000))
    has_doi = draw(st.booleans())
    return {
        "title": title,
        "authors": [f"{s}, {g}" for s, g in names],
        "year": draw(st.integers(1980, 2025)),
        "journal": journal[0],
        "journal_abbrev": journal[1],
        "volume": str(draw(st.integers(1, 300))),
        "issue": str(draw(st.integers(1, 12))),
        "pages": f"{first}-{first + draw(st.integers(1, 20))}",
        "doi": f"10.{draw(st.integers(1000, 9999))}/x{draw(st.integers(1, 10**6))}"
        if has_doi
        else "",
    }


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@st.composite
def perturbed(draw: Any, rec: dict[str, Any], *, truncate: bool = True) -> dict[str, Any]:
    """The same publication as another database would export it."""
    out = dict(rec)
    title = rec["title"]
    case = draw(st.sampled_from(["upper", "lower", "title", "same"]))
    title = {"upper": title.upper(), "lower": title.lower(), "title": title.title()}.get(
        case, title
    )
    if draw(st.booleans()):
        title = title + "."
    if draw(st.booleans()):
        words = title.split()
        cut = draw(st.integers(len(words) // 2, len(words) - 1))
        words.insert(cut, "-")
        title = " ".join(words)
    if truncate and draw(st.booleans()) and len(title) > 60:
        title = title[: max(50, int(len(title) * 0.8))]
    out["title"] = title
    fmt = draw(st.sampled_from(["initials", "given-first", "initials-first", "same"]))
    authors = []
    for a in rec["authors"]:
        surname, given = a.split(", ")
        if draw(st.booleans()):
            surname, given = _strip_accents(surname), _strip_accents(given)
        authors.append(
            {
                "initials": f"{surname} {given[0]}.",
                "given-first": f"{given} {surname}",
                "initials-first": f"{given[0]}. {surname}",
            }.get(fmt, f"{surname}, {given}")
        )
    out["authors"] = authors
    if draw(st.booleans()):
        out["journal"] = rec["journal_abbrev"]
    if draw(st.booleans()):
        out["doi"] = ""
    if draw(st.booleans()):
        out["pages"] = rec["pages"].split("-")[0] + "-" + rec["pages"].split("-")[1][-1:]
    return out


GENERIC_TITLES = (
    "Editorial",
    "Editorial introduction",
    "Reply",
    "Corrigendum",
    "In this issue",
    "Letter from the editor",
    "Book review",
    "From the editors",
    "Response to the comment",
)


@st.composite
def recurring_items(draw: Any) -> list[dict[str, Any]]:
    """A recurring item (one in each issue of a journal): the same title, author, year and
    journal, but each record with its own DOI, issue or pages (some of them)."""
    base = draw(records())
    if draw(st.booleans()):
        base["title"] = draw(st.sampled_from(GENERIC_TITLES))
    n = draw(st.integers(2, 6))
    differ = draw(st.sets(st.sampled_from(["doi", "issue", "pages"]), min_size=1, max_size=3))
    prefix = draw(st.integers(1000, 9999))
    items = []
    for k in range(n):
        item = dict(base)
        # each item has its own DOI or none: items of a series never share one
        item["doi"] = f"10.{prefix}/series.{k}" if "doi" in differ else ""
        if "issue" in differ:
            item["issue"] = str(k + 1)
        if "pages" in differ:
            item["pages"] = f"{100 * k + 1}-{100 * k + 4}"
        if draw(st.booleans()):  # another database's export of the same kind of record
            item = draw(perturbed(item, truncate=False))
            item["doi"] = f"10.{prefix}/series.{k}" if "doi" in differ else ""
        items.append(item)
    return items


PARTICLE_NAMES = (
    ("Goicoechea de, Jorge E.", "de Jorge, E. G."),
    ("van der Berg, Anna", "Berg, A. van der"),
    ("De la Cruz, Maria", "Cruz, M. D. L."),
    ("Müller, Jörg", "Mueller J"),
    ("Al-Rashid, Omar", "Alrashid O"),
)


@st.composite
def hard_variants(draw: Any, rec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A record a person must at least be asked about: (kind, variant of `rec`)."""
    kind = draw(st.sampled_from(["erratum", "particles", "translation", "subtitle", "first-page"]))
    out = dict(rec)
    if kind == "erratum":
        out["title"] = draw(st.sampled_from(["Erratum: ", "Correction to: ", "Corrigendum: "]))
        out["title"] += rec["title"]
        first = draw(st.integers(2100, 2900))
        out["pages"] = str(first)
        out["doi"] = ""
    elif kind == "particles":
        a, b = draw(st.sampled_from(PARTICLE_NAMES))
        rec["authors"] = [a, *rec["authors"][1:]]
        out["authors"] = [b, *rec["authors"][1:]]
    elif kind == "translation":
        words = draw(st.lists(st.sampled_from(WORDS), min_size=6, max_size=10))
        out["title"] = " ".join(w[::-1] for w in words).capitalize()  # another language
        out["journal"] = rec["journal_abbrev"]
        out["doi"] = ""
    elif kind == "subtitle":
        tail = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=5))
        out["title"] = rec["title"] + ": " + " ".join(tail)
        out["doi"] = ""
    else:
        out["pages"] = rec["pages"].split("-")[0]
        out["doi"] = ""
    return kind, out
