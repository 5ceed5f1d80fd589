"""A study named from its report's title: short titles whole, long ones cut at a word with …"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from review.studies import STUDY_NAME_CHARS, study_name


def test_a_short_title_is_the_name() -> None:
    assert study_name("  Social impact bonds:\n a review ") == "Social impact bonds: a review"


def test_a_long_title_is_cut_at_a_word_and_says_so() -> None:
    title = (
        "Individual placement and support delivered under a social impact bond: "
        "employment outcomes for people with severe mental illness"
    )
    name = study_name(title)
    assert name == "Individual placement and support delivered under a social impact bond…"
    assert len(name) <= STUDY_NAME_CHARS and name.endswith("…")


@given(st.text(min_size=0, max_size=300))
def test_a_name_is_short_and_a_prefix_of_the_title(title: str) -> None:
    name = study_name(title)
    flat = " ".join(title.split())
    assert len(name) <= STUDY_NAME_CHARS
    if len(flat) <= STUDY_NAME_CHARS:
        assert name == flat
    else:
        assert name.endswith("…") and flat.startswith(name[:-1])
