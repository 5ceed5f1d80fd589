"""LaTeX in BibTeX values, decoded to plain text: the usual escapes, accents and letters
(`{\\'e}` -> é, `\\o` -> ø) directly, anything else with pylatexenc (loaded on first use);
`decode_plain` for URLs and DOIs, which keep their characters."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pylatexenc.latex2text import LatexNodes2Text  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

_LITERAL_SPECIALS = re.compile(r"(?<!\\)([%&])")
_LATEX_HINTS = ("\\", "{", "}", "$", "~", "--", "``", "''")
_LIGATURES = (
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("``", "\u201c"),
    ("''", "\u201d"),
    ("~", "\u00a0"),
)
_ACCENTS = dict(
    zip(
        "'`^\"~=.cvuHkr",
        "\u0301\u0300\u0302\u0308\u0303\u0304\u0307\u0327\u030c\u0306\u030b\u0328\u030a",
        strict=True,
    )
)
_BASE = r"(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])|[A-Za-z]))"
_SYMBOL_ACCENT = re.compile(r"\\([`'^\"~=.])\s*" + _BASE)
_LETTER_ACCENT = re.compile(r"\\([cvuHkr])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))")
_WORD_MACRO = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])(?:\{\}|\s*)")
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "aa": "å",
    "AA": "Å",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "relax": "",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "textasciitilde": "\ue001",  # a literal tilde, restored after ligatures (~ = no-break space)
    "textasciicircum": "^",
    "textunderscore": "_",
}
# a literal backslash, as litsift's writer escapes it; kept aside while the rest is decoded
_BACKSLASH = re.compile(r"\\textbackslash(?:\{\}|(?![A-Za-z])\s?)")
_BS_SENTINEL = "\ue000"


def _restore(text: str) -> str:
    """Put back the literal characters kept aside as private-use sentinels."""
    return text.replace(_BS_SENTINEL, "\\").replace("\ue001", "~")


@lru_cache(maxsize=1)
def latex_decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX-to-text converter, built on first use (as bibtexparser configures it)."""
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    db = get_default_latex_context_db()
    macros = [MacroTextSpec("url", simplify_repl="%s")]
    macros += [MacroTextSpec(name, simplify_repl=text) for name, text in _LETTERS.items()]
    db.add_context_category("litsift-bibtex", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")


def fast_latex(text: str) -> str | None:
    """The common LaTeX of exports (escapes, accents, letters like \\o, Zotero's {\\textless})
    decoded without pylatexenc, which costs ~5 ms an abstract; None when more is needed."""
    text = _BACKSLASH.sub(_BS_SENTINEL, text)
    if re.search(r"(?<!\\)\$|\\[{}\\]", text):
        return None  # math, escaped braces or line breaks
    text = re.sub(r"\\([%&_#$ ])", r"\1", text)
    text = _SYMBOL_ACCENT.sub(_accent, text)
    text = _LETTER_ACCENT.sub(_accent, text)
    text = _WORD_MACRO.sub(lambda m: _LETTERS.get(m.group(1), m.group(0)), text)
    if "\\" in text:
        return None
    for latex, plain in _LIGATURES:
        text = text.replace(latex, plain)
    return unicodedata.normalize("NFC", _restore(text.replace("{", "").replace("}", "")))


def _accent(m: re.Match[str]) -> str:
    base = m.group(2) or m.group(3)
    return base.lstrip("\\") + _ACCENTS[m.group(1)]


def decode_latex(text: str) -> str:
    """Plain text for a BibTeX value: accents decoded, protecting braces and markup dropped."""
    if not any(h in text for h in _LATEX_HINTS):
        return text
    fast = fast_latex(text)
    if fast is not None:
        return fast
    from pylatexenc.latexwalker import LatexWalkerError  # type: ignore[import-untyped]

    try:
        return _restore(str(latex_decoder().latex_to_text(_LITERAL_SPECIALS.sub(r"\\\1", text))))
    except LatexWalkerError as e:
        logger.debug("LaTeX not decoded (%s): %.60r", e, text)
        return text.replace("{", "").replace("}", "")


def decode_plain(text: str) -> str:
    """URLs and DOIs: only `\\url{}`, escapes and braces removed (a `~` stays a tilde; an
    escaped brace `\\{` stays a brace)."""
    text = re.sub(r"\\url\s*\{([^{}]*)\}", r"\1", text)
    text = re.sub(r"\\([_%&#~$])", r"\1", _BACKSLASH.sub(_BS_SENTINEL, text))
    text = text.replace("\\{", "\ue002").replace("\\}", "\ue003")
    text = text.replace("{", "").replace("}", "")
    return _restore(text.replace("\ue002", "{").replace("\ue003", "}"))
