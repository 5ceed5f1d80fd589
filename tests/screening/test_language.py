"""Language detection per record and per-language tokenisation."""

from __future__ import annotations

from screening.features import SpacyTokens, TextFeatures
from screening.language import detect_language, tokenizer_for


def test_detects_the_languages_of_the_demo_review() -> None:
    assert detect_language("Social impact bonds and payment by results in the UK") == "en"
    assert detect_language("Los bonos de impacto social en América Latina: una evaluación") == "es"
    assert detect_language("Les contrats à impact social en France : une évaluation") == "fr"
    assert detect_language("") == ""


def test_unsupported_language_falls_back_to_the_multilanguage_tokeniser() -> None:
    assert [t.text for t in tokenizer_for("ja")("impact bond")] == ["impact", "bond"]


def test_auto_tokenises_each_text_in_its_own_language() -> None:
    texts = [
        "Outcomes-based contracts: the UK's experience",
        "Contratos basados en resultados: la experiencia de Colombia",
        "社会影响力债券的评估",
    ]
    toks = SpacyTokens("auto")(texts)
    assert toks[0].split()[:3] == ["outcomes", "based", "contracts"]
    assert "contratos" in toks[1].split()
    assert toks[2]  # Chinese text is tokenised (character-based), not dropped
    matrix = TextFeatures().fit_transform(texts)
    assert matrix.shape[0] == 3
