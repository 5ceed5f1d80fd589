"""BibTeX (`@article{key, title = {...}, ...}`), as written by Zotero, JabRef, Mendeley, Scopus,
Web of Science and EBSCO.

bibtexparser 2 splits the file into blocks; this module evaluates the values itself: `@string`
macros, `#` concatenation and month macros are resolved, then LaTeX is decoded (`{\\'e}` -> é,
`{Braces}` -> Braces) by `review.readers.latex`.
Field names are case-insensitive; a repeated field keeps its first value (keywords keep all).
Names are put in "Surname, Given" form by BibTeX's rules.

An entry the splitter cannot parse is rejected with its start line and kept verbatim, from its
`@` up to the next block. One exception: an entry that is closed but whose braces do not balance
inside a value (EBSCO's scraped junk in `Keywords`) is read line by line, with a warning.
`@comment`, `@preamble` and `@string` blocks are not entries.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from review.biblio import RIS_TYPES
from review.normalize import collapse
from review.readers.base import Entry, ParsedEntry, RejectedEntry, first_nonblank
from review.readers.latex import decode_latex, decode_plain
from review.readers.source import SourceFile

if TYPE_CHECKING:
    from bibtexparser.model import Block, ParsingFailedBlock

logger = logging.getLogger(__name__)

_BLOCK_LINE = re.compile(r"^\s*@\s*[A-Za-z]\w*\s*[{(]")
_MONTHS = {
    m[:3].lower(): m
    for m in (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
}
_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "techreport": "RPRT",
    "report": "RPRT",
    "phdthesis": "THES",
    "mastersthesis": "THES",
    "thesis": "THES",
    "unpublished": "UNPB",
    "online": "ELEC",
    "electronic": "ELEC",
    "www": "ELEC",
    "booklet": "PAMP",
    "patent": "PAT",
    "dataset": "DATA",
    "software": "COMP",
}
ENTRY_TYPES = _TYPES  # BibTeX entry type → RIS type code (the exporter checks what reads back)
_CONTAINER_TYPES = ("CHAP", "CPAPER", "CONF")
_KEYWORD_FIELDS = ("keywords", "keyword", "author_keywords", "author-keywords", "keywords-plus")
# Scopus, Web of Science, biblatex, ACM
_ARTICLE_NUMBER_FIELDS = ("art_number", "article-number", "eid", "articleno")
_FIELD_LINE = re.compile(r"^\s*([A-Za-z][\w\-:.+\u00a0]*)\s*=\s*(.*)$")
_ENTRY_HEAD = re.compile(r"^\s*@\s*([A-Za-z]\w*)\s*[{(]\s*([^,\s]*)\s*,?")
# Unescaped characters that LaTeX treats specially but exports use literally ("50% of", "R&D").


def _closing(value: str, i: int) -> int:
    """Index of what closes the group opened at `i`: the `}` matching a `{`, or the `"` ending a
    quoted string (braces nest inside it); len(value) when it is never closed."""
    quoted = value[i] == '"'
    depth = 0 if quoted else 1
    j = i + 1
    while j < len(value):
        c = value[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
            if depth == 0 and not quoted:
                return j
        elif c == '"' and quoted and depth == 0:
            return j
        j += 1
    return len(value)


def evaluate(value: str, macros: dict[str, str]) -> str:
    """The text of a raw field value: `{...}`/`"..."` unwrapped, macros and `#` resolved."""
    parts: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c.isspace() or c == "#":
            i += 1
        elif c in '{"':
            j = _closing(value, i)
            parts.append(value[i + 1 : j])
            i = j + 1
        else:
            j = value.find("#", i)
            j = len(value) if j < 0 else j
            token = value[i:j].strip()
            parts.append(macros.get(token.lower(), token))
            i = j
    return "".join(parts)


def _split_keywords(value: str) -> list[str]:
    sep = ";" if ";" in value else ","
    return [k for k in (collapse(decode_latex(x)) for x in value.split(sep)) if k]


def _authors(value: str) -> list[str]:
    """BibTeX names ("A and B", "First von Last" or "von Last, Jr, First") as "Last, First"."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    out = []
    for name in split_multiple_persons_names(collapse(value)):
        if name.strip().lower() == "others":
            continue
        with contextlib.suppress(InvalidNameError):
            name = parse_single_name_into_parts(name, strict=False).merge_last_name_first
        name = collapse(decode_latex(name))
        if name:
            out.append(name)
    return out


def bibtex_fields(entry_type: str, values: dict[str, list[str]]) -> dict[str, object]:
    """Map evaluated BibTeX values (lower-case names, in file order) to record fields."""

    first = functools.partial(first_nonblank, values)

    def text(*names: str) -> str:
        return collapse(decode_latex(first(*names)))

    type_ = _TYPES.get(entry_type.lower(), "GEN")
    if (ristype := first("ristype").strip().upper()) in RIS_TYPES:  # litsift's own export
        type_ = ristype
    authors = _authors(first("author")) or _authors(first("editor"))
    journal = text("journal", "journaltitle")
    if not journal or type_ in _CONTAINER_TYPES:
        journal = text("booktitle") or journal
    url = collapse(decode_plain(first("url")))
    doi = collapse(decode_plain(first("doi")))
    if not doi and "doi.org/10." in url:
        doi = url
    pmid = first("pmid", "pubmed_id", "pubmed-id")  # Scopus: pubmed_id
    if not pmid and first("eprinttype").strip().lower() == "pubmed":
        pmid = first("eprint")
    keywords: list[str] = []
    for name in _KEYWORD_FIELDS:
        for v in values.get(name, ()):
            keywords.extend(_split_keywords(v))
    pages = re.sub(r"\s*(?:-+|–|—)\s*", "-", collapse(decode_plain(first("pages"))))
    if not pages:  # an article number stands for the pages (as in Scopus's and WoS's CSVs)
        pages = collapse(decode_plain(first(*_ARTICLE_NUMBER_FIELDS)))
    return {
        "type": type_,
        "title": text("title"),
        "authors": authors,
        "year": collapse(decode_plain(first("year") or first("date"))),
        "journal": journal,
        "volume": text("volume"),
        "issue": text("number", "issue"),
        "pages": pages,
        "doi": doi,
        "pmid": collapse(decode_plain(pmid)),
        "isbn": collapse(decode_plain(first("isbn"))),
        "issn": collapse(decode_plain(first("issn", "eissn"))),
        "url": url,
        "abstract": text("abstract"),
        "keywords": keywords,
        "language": text("language", "langid"),
    }


def _field_name(key: str) -> str:
    return "_".join(key.lower().split())


def _lenient_fields(region: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """(type, key, [(name, raw value)]) read one field per line from a closed entry whose
    braces do not balance; None when the text does not look like that."""
    lines = region.rstrip().splitlines()
    head = _ENTRY_HEAD.match(lines[0]) if lines else None
    if head is None or len(lines) < 3 or lines[-1].strip() not in ("}", ")"):
        return None
    fields: list[tuple[str, str]] = []
    for line in lines[1:-1]:
        m = _FIELD_LINE.match(line)
        if m:
            fields.append((m.group(1), m.group(2)))
        elif fields:
            fields[-1] = (fields[-1][0], f"{fields[-1][1]}\n{line}")
    out = []
    for name, value in fields:
        value = value.strip().removesuffix(",").strip()
        if len(value) >= 2 and (value[0], value[-1]) in (("{", "}"), ('"', '"')):
            value = value[1:-1]
        out.append((name, value))
    if not any(_field_name(n) in ("title", "author") for n, _ in out):
        return None
    return head.group(1), head.group(2), out


class BibtexReader:
    """BibTeX and BibLaTeX `.bib` files."""

    name = "bibtex"
    description = "BibTeX (.bib): Zotero, JabRef, Mendeley, Scopus, Web of Science, EBSCO..."

    def sniff(self, head: str, source: SourceFile) -> bool:
        seen = 0
        for line in head.lstrip("\ufeff").splitlines():
            stripped = line.strip().lstrip("\ufeff")
            if not stripped or stripped.startswith("%"):
                continue
            if _BLOCK_LINE.match(stripped):
                return True
            seen += 1
            if seen >= 20:
                break
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        import bibtexparser
        from bibtexparser import model as bib

        text = source.read_text().lstrip("\ufeff")
        # The splitter logs each failure with a 0-based line; our RejectedEntry says it better.
        splitter_log = logging.getLogger("bibtexparser.splitter")
        splitter_log.addFilter(_quiet)
        try:
            library = bibtexparser.parse_string(text, parse_stack=[])
        finally:
            splitter_log.removeFilter(_quiet)
        blocks = [b for b in library.blocks if not isinstance(b, bib.ImplicitComment)]
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        macros: dict[str, str] = dict(_MONTHS)
        for i, block in enumerate(blocks):
            warnings: list[str] = []
            inner: Block | None = block
            while (
                isinstance(inner, bib.ParsingFailedBlock) and inner.ignore_error_block is not None
            ):
                warnings.append(_failure_note(inner))
                inner = inner.ignore_error_block
            if isinstance(inner, bib.String):
                macros[inner.key.strip().lower()] = evaluate(inner.value, macros)
            elif isinstance(inner, bib.Entry):
                values: dict[str, list[str]] = {}
                for f in inner.fields:
                    values.setdefault(_field_name(f.key), []).append(evaluate(f.value, macros))
                yield ParsedEntry(
                    line=(inner.start_line or 0) + 1,
                    raw=inner.raw or "",
                    source_key=inner.key,
                    fields=bibtex_fields(inner.entry_type, values),
                    warnings=warnings,
                )
            elif isinstance(inner, bib.ParsingFailedBlock):
                following = blocks[i + 1] if i + 1 < len(blocks) else None
                head = _ENTRY_HEAD.match(inner.raw or "")
                if head and head.group(1).lower() in ("comment", "preamble", "string"):
                    line = (inner.start_line or 0) + 1
                    source.warnings.append(
                        f"the @{head.group(1)} block at line {line} is malformed and was skipped"
                    )
                    continue
                yield self._failed(inner, following, text, line_starts)

    def _failed(
        self,
        block: ParsingFailedBlock,
        following: Block | None,
        text: str,
        line_starts: list[int],
    ) -> Entry:
        """Reject a block the splitter gave up on, or read a closed one line by line."""
        start = _offset(block, text, line_starts)
        end = _offset(following, text, line_starts) if following is not None else len(text)
        region = text[start:end].rstrip() or (block.raw or "")
        line = (block.start_line or 0) + 1
        reason = str(getattr(block.error, "abort_reason", "") or block.error)
        kind = reason.split(".")[0]
        if kind.startswith("Unexpected block start"):
            nxt = (following.start_line or 0) + 1 if following is not None else line
            return RejectedEntry(
                line,
                f"entry starting at line {line} is unterminated: a closing brace or quote is "
                f"missing before the next @-block at line {nxt} (bibtexparser: {reason.strip()})",
                region,
            )
        if kind.startswith("Unexpectedly reached end of file"):
            return RejectedEntry(
                line,
                f"entry starting at line {line} is not closed before the end of the file "
                "(is the file truncated?)",
                region,
            )
        lenient = _lenient_fields(region)
        if lenient is None:
            return RejectedEntry(
                line, f"entry starting at line {line} cannot be parsed: {reason.strip()}", region
            )
        entry_type, key, raw_fields = lenient
        values: dict[str, list[str]] = {}
        for name, value in raw_fields:
            values.setdefault(_field_name(name), []).append(value)
        return ParsedEntry(
            line=line,
            raw=region,
            source_key=key,
            fields=bibtex_fields(entry_type, values),
            warnings=[
                f"the braces of this entry do not balance ({reason.strip()}); its fields were "
                "read one per line: check them"
            ],
        )


def _quiet(record: logging.LogRecord) -> bool:
    """A logging filter that drops the splitter's warnings about aborted blocks."""
    return record.levelno > logging.WARNING


def _offset(block: Block, text: str, line_starts: list[int]) -> int:
    """Where a block's `@` is in the text (searched from the start of its line)."""
    n = block.start_line or 0
    base = line_starts[min(n, len(line_starts) - 1)]
    pos = text.find("@", base)
    return pos if pos >= 0 else base


def _failure_note(block: Block) -> str:
    """A warning for an entry bibtexparser flagged but that is still imported."""
    from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

    if isinstance(block, DuplicateFieldKeyBlock):
        names = ", ".join(sorted(block.duplicate_keys))
        return f"repeated field(s) {names}: the first value is kept"
    if isinstance(block, DuplicateBlockKeyBlock):
        prev = block.previous_block.start_line
        where = f" (line {prev + 1})" if prev is not None else ""
        return f"the key {block.key!r} is also used by an earlier entry{where}"
    return str(getattr(block, "error", "")) or "flagged by the BibTeX parser"
