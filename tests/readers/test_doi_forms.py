"""DOIs as exports write them, all through the one normaliser every reader's fields go through
(review.normalize.normalize_doi, applied by review.fields.normalize_fields)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from review.fields import normalize_fields
from review.normalize import normalize_doi

DOI = st.from_regex(r"10\.\d{4,6}/[a-z][a-z0-9.()-]{0,20}[a-z0-9]", fullmatch=True).filter(
    lambda d: d.count("(") == d.count(")")
)


@pytest.mark.parametrize(
    ("value", "doi"),
    [
        ("10.1111/jan.13901;10.1111/jan.13902", "10.1111/jan.13901"),
        ("10.1111/jan.13901, doi:10.1111/jan.13902", "10.1111/jan.13901"),
        ("10.1111/jan.13901 [doi]; S0020-7489(23)00123-4 [pii]", "10.1111/jan.13901"),
        ("https://onlinelibrary.wiley.com/doi/full/10.1111/jan.13901?af=R", "10.1111/jan.13901"),
        ("https://doi.org/10.1111/jan.13901#abstract", "10.1111/jan.13901"),
        ('<a href="https://doi.org/10.1111/jan.13901">link</a>', "10.1111/jan.13901"),
        ("(doi: 10.1016/S0140-6736(20)30183-5)", "10.1016/s0140-6736(20)30183-5"),
        ("http://dx.doi.org/10.1111%2Fjan.13901", "10.1111/jan.13901"),
        ("DOI 10.1111/JAN.13901.", "10.1111/jan.13901"),
        (
            "https://dx.doi.org/10.1002/(SICI)1097-4636(199706)35:4<431::AID-JBM4>3.0.CO;2-J",
            "10.1002/(sici)1097-4636(199706)35:4<431::aid-jbm4>3.0.co;2-j",
        ),
    ],
)
def test_doi_forms(value: str, doi: str) -> None:
    assert normalize_doi(value) == doi
    assert normalize_fields({"title": "T", "doi": value})[0]["doi"] == doi


@given(DOI, DOI, st.sampled_from([";", ",", "; ", ", ", ";doi:", " "]))
def test_the_first_of_several_dois(first: str, second: str, separator: str) -> None:
    assert normalize_doi(f"{first}{separator}{second}") == first


@given(
    DOI,
    st.sampled_from(["", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/"]),
    st.sampled_from(["", ".", " [doi]", ")", "?af=R"]),
)
def test_prefixes_and_trailing_text_are_not_part_of_the_doi(
    doi: str, prefix: str, suffix: str
) -> None:
    if suffix == "?af=R" and "://" not in prefix:
        suffix = ""  # a query only ends a DOI in a URL
    written = f"{prefix}{doi.upper()}{suffix}"
    assert normalize_doi(written) == doi
    assert normalize_doi(normalize_doi(written)) == doi
