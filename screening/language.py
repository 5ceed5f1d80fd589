"""Language of a record's text, and a spaCy tokeniser for it.

Detection uses py3langid, which ships its model inside the package (nothing is downloaded).
Tokenisers are blank spaCy pipelines; a language spaCy cannot tokenise without extra packages
(Japanese, Korean...) falls back to the multi-language tokeniser `xx`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid

    return py3langid


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language `text` is most likely written in ("" if empty)."""
    text = text.strip()
    if not text:
        return ""
    lang, _score = _identifier().classify(text[:2000])
    return str(lang)


@lru_cache(maxsize=32)
def tokenizer_for(lang: str) -> Any:
    """The tokeniser of a blank spaCy pipeline for `lang` (`xx` when spaCy has none)."""
    import spacy

    try:
        return spacy.blank(lang or "xx").tokenizer
    except (ImportError, ValueError, KeyError, OSError) as e:  # e.g. ja needs sudachipy
        log.info("no spaCy tokeniser for %r (%s); using the multi-language one", lang, e)
        return spacy.blank("xx").tokenizer
