"""The regular-expression fast path gives spaCy's tokens whenever it is taken."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.features import WORD, SpacyTokens, fast_tokens
from screening.language import tokenizer_for


def spacy_words(lang: str, text: str) -> list[str]:
    doc = tokenizer_for(lang)(text)
    return [w for t in doc if not (t.is_punct or t.is_space) for w in WORD.findall(t.lower_)]


def test_fast_path_matches_spacy_on_plain_abstract_text() -> None:
    text = (
        "Beta-blockers (e.g. metoprolol) reduced mortality by 2.5% vs. placebo; "
        "see https://example.org/ab?x=1. TNFα and IL-6 levels: n=120, p<0.05."
    )
    fast = fast_tokens("en", text)
    assert fast is not None and fast == spacy_words("en", text)


def test_fast_path_steps_aside_where_spacy_splits_words() -> None:
    for text in ("We don't know", "10mg daily", "It cannot be", "patients' data"):
        assert fast_tokens("en", text) is None
    assert fast_tokens("zh", "随机对照试验 trial") is None  # no spaces between words


def test_mixed_batch_keeps_order() -> None:
    texts = ["Plain text here", "We don't know", "Another plain one"]
    out = SpacyTokens("en")(texts)
    assert out == [" ".join(spacy_words("en", t)) for t in texts]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abcXYZ019 .,;:-/()[]%+=<>?!&_\"αβé\n\tı'")) | st.just(" "),
        max_size=60,
    ),
    st.sampled_from(["en", "de", "fr", "es"]),
)
def test_fast_path_equals_spacy_whenever_taken(text: str, lang: str) -> None:
    fast = fast_tokens(lang, text)
    if fast is not None:
        assert fast == spacy_words(lang, text)


def spacy_content_words(lang: str, text: str) -> list[str]:
    doc = tokenizer_for(lang)(text)
    return [
        w
        for t in doc
        if not (t.is_punct or t.is_space or t.is_stop)
        for w in WORD.findall(t.lower_)
    ]


def test_stop_word_fast_path_matches_spacy_on_abstract_text() -> None:
    text = (
        'The trial (of the "new" drug) was stopped; none of them, as well as others, were '
        "harmed. No. 5 of the series, vs. the CEE/MPA arm and/or self-report."
    )
    fast = fast_tokens("en", text, stop_words=True)
    assert fast is None or fast == spacy_content_words("en", text)
    plain = "The trial of the new drug was stopped, as well as others"
    assert fast_tokens("en", plain, stop_words=True) == spacy_content_words("en", plain)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["the", "The", "of", "no", "No", "der", "Die", "le", "de", "y", "trial", "cee"]
        )
        | st.text(alphabet=st.sampled_from(list(' .,;:-/()[]"?!&+=%\n')), max_size=2),
        max_size=14,
    ),
    st.sampled_from(["en", "de", "fr", "es"]),
)
def test_stop_word_fast_path_equals_spacy_whenever_taken(parts: list[str], lang: str) -> None:
    text = "".join(parts)
    fast = fast_tokens(lang, text, stop_words=True)
    if fast is not None:
        assert fast == spacy_content_words(lang, text)


def test_chunks_are_tokenised_as_in_their_text() -> None:
    """Each distinct chunk is tokenised once; the result is spaCy's on the whole text, also
    where a special case spans a space (Spanish "EE. UU.") and with stop words dropped."""
    texts = [
        "We don't know; it cannot be 10mg (patients' data) or 10mg",
        "Plain text here, plain text (here).",
        "un estudio en EE. UU. y en EE.UU. sobre los bonos",
    ]
    assert SpacyTokens("en")(texts) == [" ".join(spacy_words("en", t)) for t in texts]
    assert SpacyTokens("es", stop_words=True)(texts) == [
        " ".join(spacy_content_words("es", t)) for t in texts
    ]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("abXY01 .,;-()'_\n\xa0é")), max_size=40),
        max_size=4,
    ),
    st.sampled_from(["en", "es"]),
    st.booleans(),
)
def test_chunkwise_tokens_equal_spacy_on_the_text(texts: list[str], lang: str, stop: bool) -> None:
    words = spacy_content_words if stop else spacy_words
    assert SpacyTokens(lang, stop)(texts) == [" ".join(words(lang, t)) for t in texts]
