"""Several authors in one comma-separated value are split only when nothing else is possible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.readers.authors import split_comma_names
from review.readers.tabular import split_authors
from tests.readers.test_export_dialects import read

SURNAME = st.from_regex(r"(?:van der |de |O')?[A-Z][a-z]{2,9}(?:-[A-Z][a-z]{2,8})?", fullmatch=True)
INITIALS = st.from_regex(r"[A-Z]\.(?: ?[A-Z]\.){0,2}|[A-Z]{1,3}", fullmatch=True)
NAMES = st.lists(st.tuples(SURNAME, INITIALS), min_size=2, max_size=6)


@given(SURNAME, INITIALS)
def test_one_inverted_name_is_never_split(surname: str, initials: str) -> None:
    assert split_comma_names(f"{surname}, {initials}") is None
    assert split_authors(f"{surname}, {initials}") == [f"{surname}, {initials}"]


@given(NAMES)
def test_inverted_names_joined_by_commas_split_back(names: list[tuple[str, str]]) -> None:
    value = ", ".join(f"{s}, {i}" for s, i in names)
    assert split_comma_names(value) == [f"{s}, {i}" for s, i in names]


@given(NAMES, st.booleans())
def test_names_with_initials_before_or_after_split_back(
    names: list[tuple[str, str]], initials_first: bool
) -> None:
    written = [f"{i} {s}" if initials_first else f"{s} {i}" for s, i in names]
    assert split_comma_names(", ".join(written)) == written
    assert split_authors(", ".join(written)) == written


@pytest.mark.parametrize(
    "value",
    [
        "Smith, J.",
        "Smith, John",
        "Hart, Amelia, Mensah, Kwame",  # could be read two ways: left whole
        "Smith, J., Jr.",
        "World Health Organization",
        "Smith, J., Doe",
        "Hart, A. B., PhD",
    ],
)
def test_ambiguous_values_stay_whole(value: str) -> None:
    assert split_comma_names(value) is None


def test_rayyan_ris_several_authors_on_one_au_line() -> None:
    fmt, good, bad = read("rayyan.ris")
    assert fmt == "ris" and not bad
    assert good[0]["authors"] == ["Hart, A.", "Mensah, K.", "van der Berg, H."]
    assert good[1]["authors"] == ["Okafor, N. A."]
    assert good[0]["source_key"] == "112233445"


def test_publish_or_perish_csv_authors_and_fields() -> None:
    fmt, good, bad = read("publish_or_perish.csv")
    assert fmt == "tabular" and not bad
    first, second = good
    assert first["authors"] == ["A Hart", "K Mensah", "H van der Berg"]
    assert second["authors"] == ["NA Okafor"]
    assert (first["year"], first["doi"], first["journal"]) == (
        2019,
        "10.1111/jan.13901",
        "Journal of Advanced Nursing",
    )
    assert (first["volume"], first["issue"], first["pages"]) == ("75", "3", "512-524")
