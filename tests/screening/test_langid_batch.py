"""Batch language detection gives py3langid's answer for every text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.langid_batch import detect_languages
from screening.language import detect_language

TEXTS = [
    "Social impact bonds and payment by results in the UK",
    "Los bonos de impacto social en América Latina: una evaluación",
    "Les contrats à impact social en France : une évaluation",
    "Die Wirksamkeit von Sozialanleihen in Deutschland",
    "社会影响力债券的评估",
    "ソーシャル・インパクト・ボンドの評価",
    "사회성과연계채권의 평가",
    "การประเมินพันธบัตรผลกระทบทางสังคม",
    "ОЦЕНКА СОЦИАЛЬНЫХ ОБЛИГАЦИЙ",
    "",
    "   ",
    "a",
    "x" * 3000,
    "12345 67 -- ::",
]


def test_same_languages_as_one_text_at_a_time() -> None:
    assert detect_languages(TEXTS) == [detect_language(t) for t in TEXTS]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=6))
def test_same_languages_on_any_text(texts: list[str]) -> None:
    assert detect_languages(texts) == [detect_language(t) for t in texts]
