"""Features prepared right after an import, so that opening the app finds them ready.

The slow part of the features is tokenising (spaCy, or the regular-expression fast path). The
tokens are kept in the review's database (`ReviewTokenCache`), keyed by text and tokenizer, so
`open_ranker` later only reads them and fits the TF-IDF vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable

from review import service as review_service
from review import settings
from review.db import Store
from screening.bm25 import BM25
from screening.features import SpacyTokens, record_text
from screening.presets import get_preset
from screening.service import ReviewTokenCache


def prepare_features(
    store: Store,
    *,
    stage: str = "title-abstract",
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2000,
) -> int:
    """Tokenise every record of `stage` for the review's ranker preset (and for the BM25 cold
    start) into the review's token cache (records already cached cost a lookup);
    `progress(done, total)` after each chunk. Returns the number of records."""
    preset = get_preset(settings.load(store, settings.RankerSpec).preset)
    feats = preset.make_features()
    records = list(review_service.iter_records(store, stage=stage))
    texts = [record_text(r.get("title"), r.get("abstract"), preset.title_weight) for r in records]
    cache = ReviewTokenCache(store)
    tokens = SpacyTokens(feats.lang, feats.stop_words, cache)
    bm25_tokens = SpacyTokens(BM25().lang, stop_words=True, cache=cache)  # the cold start's
    for start in range(0, len(texts), chunk):
        tokens(texts[start : start + chunk])
        bm25_tokens(texts[start : start + chunk])
        if progress is not None:
            progress(min(start + chunk, len(texts)), len(texts))
    return len(texts)
