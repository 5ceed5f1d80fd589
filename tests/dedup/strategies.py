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
