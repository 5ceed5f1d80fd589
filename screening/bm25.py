"""BM25 relevance of records to a query: the cold-start order before the first include and
exclude are known. The query is built from the review's protocol (keywords and eligibility)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from screening.features import SpacyTokens, TokenCache


def protocol_query(protocol: dict[str, Any] | None) -> tuple[str, str]:
    """(positive, negative) query text from a protocol: include keywords and criteria, and the
    exclude keywords (criteria for exclusion mention the topic too, so they are left out)."""
    if not protocol:
        return "", ""
    kw = protocol.get("keywords") or {}
    elig = protocol.get("eligibility") or {}
    pos = [*kw.get("include", []), *kw.get("include", []), *elig.get("include", [])]
    pos.append(protocol.get("question", ""))
    return " ".join(pos), " ".join(kw.get("exclude", []))


class BM25:
    """Okapi BM25 over spaCy tokens (stop words dropped), unigrams and bigrams."""

    def __init__(
        self,
        k1: float = 1.2,
        b: float = 0.75,
        lang: str = "en",
        token_cache: TokenCache | None = None,
    ) -> None:
        self.k1 = k1
        self.b = b
        self.lang = lang
        self.token_cache = token_cache

    def fit(self, texts: Sequence[str]) -> BM25:
        self.tokens_ = SpacyTokens(self.lang, stop_words=True, cache=self.token_cache)
        self.vec_ = CountVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2))
        tf = self.vec_.fit_transform(self.tokens_(texts)).tocsr().astype(np.float64)
        n = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        self.idf_ = np.log1p((n - df + 0.5) / (df + 0.5))
        dl = np.asarray(tf.sum(axis=1)).ravel()
        avg = dl.mean() if n and dl.mean() > 0 else 1.0
        # BM25 term weight per (doc, term), computed once
        rows = np.repeat(np.arange(n), np.diff(tf.indptr))
        denom = tf.data + self.k1 * (1 - self.b + self.b * dl[rows] / avg)
        w = tf.data * (self.k1 + 1) / denom
        self.weights_ = sp.csr_matrix((w, tf.indices, tf.indptr), shape=tf.shape)
        return self

    def query_vector(self, query: str) -> np.ndarray:
        q = self.vec_.transform(self.tokens_([query])).toarray().ravel()
        return (q > 0) * self.idf_

    def scores(self, query: str, negative: str = "", negative_weight: float = 0.5) -> np.ndarray:
        """BM25 score of every fitted text for `query`, minus a share for `negative` terms."""
        s = self.weights_ @ self.query_vector(query)
        if negative:
            s = s - negative_weight * (self.weights_ @ self.query_vector(negative))
        return np.asarray(s).ravel()


def cold_start_order(
    texts: Sequence[str],
    protocol: dict[str, Any] | None,
    token_cache: TokenCache | None = None,
) -> np.ndarray:
    """Rows ordered by BM25 relevance to the protocol (import order when it has no query;
    ties keep import order)."""
    n = len(texts)
    pos, neg = protocol_query(protocol)
    if not pos.strip() or n == 0:
        return np.arange(n)
    s = BM25(token_cache=token_cache).fit(texts).scores(pos, neg)
    return np.lexsort((np.arange(n), -s))
