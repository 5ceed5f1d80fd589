"""Features prepared right after an import, so that opening the app finds them ready.

`prepare_features` tokenises every record (spaCy, or the regular-expression fast path; the
tokens are kept in the review's database, `ReviewTokenCache`), fits the ranker's TF-IDF
features and the BM25 cold start on them, and stores the result as a feature snapshot
(screening/snapshot.py). `open_ranker` then loads the matrix instead of fitting it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from review import settings
from review.db import Store
from screening.bm25 import BM25
from screening.features import SpacyTokens, TokenCache
from screening.presets import get_preset
from screening.service import ReviewTokenCache
from screening.snapshot import build_snapshot, record_texts

log = logging.getLogger(__name__)


class MemoTokens:
    """A token cache that keeps what passes through it in memory, in front of another one
    (so the tokens written while tokenising are not read back from the database to fit)."""

    def __init__(self, inner: TokenCache) -> None:
        self.inner = inner
        self.memo: dict[str, str] = {}

    def get(self, keys: Collection[str]) -> dict[str, str]:
        out = {k: self.memo[k] for k in keys if k in self.memo}
        missing = [k for k in keys if k not in out]
        if missing:
            got = self.inner.get(missing)
            self.memo.update(got)
            out.update(got)
        return out

    def put(self, items: dict[str, str]) -> None:
        self.inner.put(items)
        self.memo.update(items)


def prepare_features(
    store: Store,
    *,
    stage: str = "title-abstract",
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 2000,
) -> int:
    """Tokenise every record for the review's ranker preset and the BM25 cold start into the
    review's token cache (records already cached cost a lookup), `progress(done, total)` after
    each chunk; then fit the features and store them (a snapshot). Returns the number of
    records."""
    preset = get_preset(settings.load(store, settings.RankerSpec).preset)
    feats = preset.make_features()
    ids, texts = record_texts(store, preset)
    cache = MemoTokens(ReviewTokenCache(store))
    tokens = SpacyTokens(feats.lang, feats.stop_words, cache)
    bm25_tokens = SpacyTokens(BM25().lang, stop_words=True, cache=cache)  # the cold start's
    for start in range(0, len(texts), chunk):
        tokens(texts[start : start + chunk])
        bm25_tokens(texts[start : start + chunk])
        if progress is not None:
            progress(min(start + chunk, len(texts)), len(texts))
    if texts:
        try:
            build_snapshot(store, preset, ids, texts, cache, stage=stage)
        except ValueError as e:  # e.g. two identical records: no term is left to weigh yet
            log.info("features not stored: %s", e)
    return len(texts)
