"""Text features: spaCy (blank pipeline) tokens, then TF-IDF word n-grams and char n-grams.

`TextFeatures` is a scikit-learn transformer over a sequence of texts. It is computed once per
session and cached (`FeatureCache`); the tokens, the slow part, can be kept between sessions
(`token_cache`, in the review's database for a live review); records imported later are
`extend`ed with the fitted vocabulary, so earlier rows never change. No model is downloaded:
only `spacy.blank(lang)`, with the language detected per record when `lang="auto"`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import normalize

from screening.langid_batch import detect_languages
from screening.language import tokenizer_for

log = logging.getLogger(__name__)


def record_text(title: str | None, abstract: str | None, title_weight: int = 1) -> str:
    """The text a ranker sees: the title (repeated `title_weight` times) and the abstract."""
    t = (title or "").strip()
    return " ".join([t] * title_weight + [(abstract or "").strip()]).strip()


WORD = re.compile(r"\w\w+")
ANY_WORD = re.compile(r"\w+")  # for scripts whose tokens are single characters
CHARACTER_SCRIPTS = frozenset({"zh", "ja", "ko", "th"})


TOKENS_VERSION = "tokens-1"  # change when the tokenisation below changes
# Where spaCy's blank tokenizer may split inside a run of word characters, so a regular
# expression would give other tokens: apostrophes ("don't" → do, n't), underscores and a
# number glued to a unit ("10mg" → 10, mg). Special-case words ("cannot" → can, not) are
# found per language.
_SLOW = re.compile(r"['’‘`´_]|\d[^\W\d_]")


@lru_cache(maxsize=32)
def _special_words(lang: str) -> frozenset[str]:
    """Words of `lang`'s tokenizer exceptions that spaCy splits where `WORD` would not."""
    tok = tokenizer_for(lang)
    out = set()
    for key in getattr(tok, "rules", {}) or {}:
        if _SLOW.search(key):
            continue
        spacy_words = [w for t in tok(key) for w in WORD.findall(t.lower_)]
        if spacy_words != WORD.findall(key.lower()):
            out.update(WORD.findall(key.lower()))
    return frozenset(out)


@lru_cache(maxsize=32)
def _spanning_specials(lang: str) -> tuple[str, ...]:
    """`lang`'s tokenizer special cases that hold a space between other characters (e.g.
    Spanish "EE. UU."): spaCy matches them across chunks."""
    rules = getattr(tokenizer_for(lang), "rules", {}) or {}
    return tuple(k for k in rules if k.strip() and any(c.isspace() for c in k))


# Between a stop word and the spaces around it, only characters spaCy always splits off as
# prefixes or suffixes, so the stop word is a token of its own (and dropped as one).
_BEFORE_STOP = frozenset(' \t\n\r("[')
_AFTER_STOP = frozenset(' \t\n\r,;)"]?!')


@lru_cache(maxsize=32)
def _stop_words(lang: str) -> frozenset[str]:
    """The stop words of `lang`'s tokenizer (`Token.is_stop` is `text.lower() in` this set)."""
    from spacy.util import get_lang_class

    return frozenset(get_lang_class(tokenizer_for(lang).vocab.lang).Defaults.stop_words)


def fast_tokens(lang: str, text: str, stop_words: bool = False) -> list[str] | None:
    """The tokens `SpacyTokens` would give, by regular expression, when that is sure to be the
    same; None when spaCy must tokenise (scripts without spaces, apostrophes, numbers glued to
    units, the language's special-case words, and with `stop_words` dropped, a stop word
    touching anything but spaces and plain brackets, quotes or punctuation)."""
    if lang in CHARACTER_SCRIPTS or _SLOW.search(text):
        return None
    lower = text.lower()
    words = WORD.findall(lower)
    special = _special_words(lang)
    if special and not special.isdisjoint(words):
        return None
    if not stop_words:
        return words
    stops = _stop_words(lang)
    kept = []
    for m in WORD.finditer(lower):
        if m.group() not in stops:
            kept.append(m.group())
            continue
        i, j = m.start(), m.end()  # the rest of its chunk must be brackets/quotes/punctuation
        while i and not lower[i - 1].isspace():
            i -= 1
            if lower[i] not in _BEFORE_STOP:
                return None
        while j < len(lower) and not lower[j].isspace():
            if lower[j] not in _AFTER_STOP:
                return None
            j += 1
    return kept


class TokenCache(Protocol):
    """Where computed tokens are kept between sessions (e.g. the review's database)."""

    def get(self, keys: Collection[str]) -> dict[str, str]: ...

    def put(self, items: dict[str, str]) -> None: ...


class SpacyTokens:
    """Lower-case word tokens from blank spaCy pipelines (tokeniser and stop-word list only),
    each split further into runs of 2+ word characters: "CEE/MPA" gives cee, mpa and numbers
    such as "2.5" drop out (they add noise features; measured on the SYNERGY sets).

    `lang="auto"` detects each text's language (py3langid) and tokenises it with that
    language's rules, so a review mixing English, Spanish and Chinese records is tokenised
    properly. Pipelines are built on first use, never at import time."""

    def __init__(
        self, lang: str = "en", stop_words: bool = False, cache: TokenCache | None = None
    ) -> None:
        self.lang = lang
        self.stop_words = stop_words
        self.cache = cache
        self._memo: dict[str, dict[str, str]] = {}  # language → chunk → its tokens

    def signature(self) -> str:
        """What the tokens depend on besides the text (part of the cache key)."""
        return f"{TOKENS_VERSION}|spacy-{version('spacy')}|{self.lang}|{self.stop_words}"

    def __call__(self, texts: Iterable[str]) -> list[str]:
        """Each text as its tokens joined by single spaces (ready for a whitespace analyser);
        taken from `cache` when it has them, and added to it when it did not."""
        texts = list(texts)
        if self.cache is None:
            return self._compute(texts)
        sig = self.signature()
        keys = [hashlib.sha256(f"{sig}\0{t}".encode()).hexdigest() for t in texts]
        known = self.cache.get(set(keys))
        missing = [i for i, k in enumerate(keys) if k not in known]
        if missing:
            computed = self._compute([texts[i] for i in missing])
            new = {keys[i]: toks for i, toks in zip(missing, computed, strict=True)}
            self.cache.put(new)
            known.update(new)
        log.info("tokens: %d cached, %d computed", len(texts) - len(missing), len(missing))
        return [known[k] for k in keys]

    def _compute(self, texts: list[str]) -> list[str]:
        if self.lang != "auto":
            return self._tokens(self.lang, texts)
        groups: dict[str, list[int]] = {}
        for i, lang in enumerate(detect_languages(texts)):
            groups.setdefault(lang or "en", []).append(i)
        out = [""] * len(texts)
        for lang, rows in groups.items():
            for i, toks in zip(rows, self._tokens(lang, [texts[i] for i in rows]), strict=True):
                out[i] = toks
        return out

    def _tokens(self, lang: str, texts: list[str]) -> list[str]:
        """Each text's tokens, one whitespace-separated chunk at a time: spaCy tokenises a
        chunk the same wherever it stands (its cache is keyed by the chunk), so each distinct
        chunk is tokenised once, by regular expression where that is sure to give spaCy's
        tokens, else by spaCy. Scripts without spaces, and texts holding one of the
        language's special cases that span a space, are tokenised whole by spaCy."""
        if lang in CHARACTER_SCRIPTS:
            return self._spacy(lang, texts)
        memo = self._memo.setdefault(lang, {})
        spanning = _spanning_specials(lang)
        whole = [i for i, t in enumerate(texts) if spanning and any(k in t for k in spanning)]
        new = {c for t in texts for c in t.split() if c not in memo}
        slow = []
        for c in new:
            fast = fast_tokens(lang, c, self.stop_words)
            if fast is None:
                slow.append(c)
            else:
                memo[c] = " ".join(fast)
        memo.update(zip(slow, self._spacy(lang, slow), strict=True))
        out = [" ".join(filter(None, map(memo.__getitem__, t.split()))) for t in texts]
        for i, toks in zip(whole, self._spacy(lang, [texts[i] for i in whole]), strict=True):
            out[i] = toks
        return out

    def _spacy(self, lang: str, texts: list[str]) -> list[str]:
        word = ANY_WORD if lang in CHARACTER_SCRIPTS else WORD
        out = []
        for doc in tokenizer_for(lang).pipe(texts, batch_size=512):
            toks = [
                w
                for t in doc
                if not (t.is_punct or t.is_space or (self.stop_words and t.is_stop))
                for w in word.findall(t.lower_)
            ]
            out.append(" ".join(toks))
        return out


class TextFeatures(TransformerMixin, BaseEstimator):
    """TF-IDF over spaCy tokens: word `ngram_range` n-grams, plus char n-grams when
    `char_ngrams` is a range such as (3, 5) (both blocks L2-normalised, then stacked and
    normalised again), plus `lsa_components` LSA dimensions of that (TruncatedSVD, fitted
    on all records; always that many columns, zero-padded on tiny data).

    With `char_hash` > 0 the char n-grams are hashed into that many columns instead of a
    fitted vocabulary, so every block after the words has a fixed width and a ranker can
    take one view of the records (`view_columns`: words, chars or LSA) without knowing the
    vocabulary."""

    def __init__(
        self,
        lang: str = "auto",
        stop_words: bool = False,
        ngram_range: tuple[int, int] = (1, 2),
        sublinear_tf: bool = True,
        max_df: float = 0.95,
        min_df: int = 1,
        char_ngrams: tuple[int, int] | None = None,
        char_weight: float = 0.5,
        lsa_components: int = 0,
        lsa_weight: float = 0.5,
        char_hash: int = 0,
        random_state: int = 0,
        token_cache: TokenCache | None = None,
    ) -> None:
        self.lang = lang
        self.stop_words = stop_words
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf
        self.max_df = max_df
        self.min_df = min_df
        self.char_ngrams = char_ngrams
        self.char_weight = char_weight
        self.lsa_components = lsa_components
        self.lsa_weight = lsa_weight
        self.char_hash = char_hash
        self.random_state = random_state
        self.token_cache = token_cache

    def _tokens(self, texts: Sequence[str]) -> list[str]:
        return SpacyTokens(self.lang, self.stop_words, self.token_cache)(texts)

    def fit(self, X: Sequence[str], y: Any = None) -> TextFeatures:
        self.fit_transform(X)
        return self

    def fit_transform(self, X: Sequence[str], y: Any = None, **fit_params: Any) -> sp.csr_matrix:
        toks = self._tokens(list(X))
        self.word_ = TfidfVectorizer(
            token_pattern=r"\S+",
            lowercase=False,
            ngram_range=self.ngram_range,
            sublinear_tf=self.sublinear_tf,
            max_df=self.max_df if len(toks) > 1 else 1.0,
            min_df=self.min_df,
            dtype=np.float32,
        )
        words = self.word_.fit_transform(toks)
        self.char_ = None
        if self.char_ngrams and self.char_hash:
            self.char_ = make_pipeline(
                HashingVectorizer(
                    analyzer="char_wb",
                    ngram_range=self.char_ngrams,
                    n_features=self.char_hash,
                    alternate_sign=False,
                    norm=None,
                    dtype=np.float32,
                ),
                TfidfTransformer(sublinear_tf=True),
            )
            words = self._stack(words, self.char_.fit_transform(toks), self.char_weight)
        elif self.char_ngrams:
            self.char_ = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=self.char_ngrams,
                sublinear_tf=True,
                max_df=self.max_df if len(toks) > 1 else 1.0,
                min_df=max(self.min_df, 2) if len(toks) > 20 else 1,
                dtype=np.float32,
            )
            words = self._stack(words, self.char_.fit_transform(toks), self.char_weight)
        self.lsa_ = None
        k = min(self.lsa_components, words.shape[0] - 1, words.shape[1] - 1)
        if k > 0:
            self.lsa_ = TruncatedSVD(k, random_state=self.random_state)
            words = self._stack(words, self._lsa(self.lsa_.fit_transform(words)), self.lsa_weight)
        return words.tocsr()

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        toks = self._tokens(list(X))
        words = self.word_.transform(toks)
        if self.char_ is not None:
            words = self._stack(words, self.char_.transform(toks), self.char_weight)
        if self.lsa_ is not None:
            words = self._stack(words, self._lsa(self.lsa_.transform(words)), self.lsa_weight)
        return words.tocsr()

    def _lsa(self, dense: np.ndarray) -> sp.csr_matrix:
        pad = self.lsa_components - dense.shape[1]  # tiny data: fewer components than asked
        if pad > 0:
            dense = np.hstack([dense, np.zeros((dense.shape[0], pad), dtype=dense.dtype)])
        return sp.csr_matrix(normalize(dense).astype(np.float32))

    def view_columns(self, view: str) -> tuple[int | None, int | None]:
        """The columns (start, stop; negative from the end) of one view of the matrix:
        `words`, `chars` (only with `char_hash`), `lsa` or `all`."""
        lsa = self.lsa_components
        chars = self.char_hash if self.char_ngrams else 0
        if self.char_ngrams and not self.char_hash and view in ("words", "chars"):
            raise ValueError("a view of the words or chars needs hashed char n-grams (char_hash)")
        spans: dict[str, tuple[int | None, int | None]] = {
            "all": (None, None),
            "words": (None, -(chars + lsa) or None),
            "chars": (-(chars + lsa), -lsa or None) if chars else (0, 0),
            "lsa": (-lsa, None) if lsa else (0, 0),
        }
        if view not in spans or spans[view] == (0, 0):
            raise ValueError(f"these features have no {view!r} view")
        return spans[view]

    @staticmethod
    def _stack(a: sp.spmatrix, b: sp.spmatrix, weight: float) -> sp.csr_matrix:
        m = sp.hstack([normalize(a), normalize(b) * np.float32(weight)], format="csr")
        return normalize(m).astype(np.float32)


@dataclass
class FeatureCache:
    """The feature matrix of one review: fitted once, extended when records are imported.

    `keys` are the record ids (or data rows) in matrix order."""

    features: TextFeatures
    keys: list[Any] = field(default_factory=list)
    matrix: sp.csr_matrix | None = None

    def update(self, keys: Sequence[Any], texts: Sequence[str]) -> sp.csr_matrix:
        """Make the matrix cover `keys` (a superset of the cached keys, in the same order):
        the first call fits, later calls transform only the new texts."""
        if self.matrix is None:
            self.matrix = self.features.fit_transform(list(texts))
            self.keys = list(keys)
        elif len(keys) > len(self.keys):
            if list(keys[: len(self.keys)]) != self.keys:
                raise ValueError("cached features do not match the records; rebuild the cache")
            if not hasattr(self.features, "word_"):  # the matrix was loaded, not fitted here:
                self.features.fit(list(texts[: len(self.keys)]))  # the same texts, same vocabulary
            new = self.features.transform(list(texts[len(self.keys) :]))  # only new texts
            self.matrix = sp.vstack([self.matrix, new], format="csr")
            self.keys = list(keys)
            log.info("features extended by %d records", new.shape[0])
        return self.matrix
