"""RIS (`TY  - JOUR` ... `ER  - `), in the dialects of PubMed, Scopus, Web of Science, Ovid,
EndNote, Zotero, Rayyan, EBSCO and ProQuest.

A record runs from `TY` to `ER`. Untagged lines continue the previous tag's value. Text
outside records (headers such as "Record #1 of 2", Ovid's "1." numbers and links) is skipped
and counted in a warning. A record without `ER` (or an `ER` block without `TY`) is rejected
and kept verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review.normalize import collapse, join_pages
from review.readers.authors import split_comma_names
from review.readers.base import Entry, ParsedEntry, RejectedEntry, names_pubmed
from review.readers.source import SourceFile

_AUTHOR_TAGS = ("AU", "A1")
_SN_SEPARATORS = re.compile(r"\s*[;,]\s*|\s+(?=\d{4}-?\d{3}[\dXx]\b)|\s+\(")
_NOT_SPECIFIED = {"no", "specified", "not specified", "no specified"}
# Types whose C7 is the Article Number (RIS 2011 specification; Scopus, WoS and EndNote write
# it instead of SP/EP for articles without page numbers) and whose C2 is a PubMed Central id
# (EndNote, "PMC...") or, all digits, Scopus's PubMed ID.
_ARTICLE_NUMBER_TYPES = frozenset({"JOUR", "EJOUR", "CPAPER", "CONF", ""})
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ALNUM = _UPPER | frozenset("0123456789")
_CODES = frozenset(a + b for a in _UPPER for b in _ALNUM)  # every two-character tag
_TYPE_NAMES = {
    "journal article": "JOUR",
    "article": "JOUR",
    "book": "BOOK",
    "book section": "CHAP",
    "book chapter": "CHAP",
    "conference paper": "CPAPER",
    "conference proceedings": "CONF",
    "report": "RPRT",
    "thesis": "THES",
}


def split_tag(line: str) -> tuple[str, str] | None:
    """`("AU", "Smith, J")` for `AU  - Smith, J`; None for an untagged line."""
    if len(line) >= 5 and line[2] == " " and line[0] in _UPPER and line[1] in _ALNUM:
        rest = line[3:]
        if rest.startswith((" -", "- ")) or rest == "-":
            return line[:2], rest.split("-", 1)[1].strip()
    elif len(line) == 4 and line[2:] == " -" and line[0] in _UPPER:
        return line[:2], ""
    return None


def sn_is_isbn(value: str) -> bool:
    """Whether an `SN` value (ISSN or ISBN, the RIS specification says) is an ISBN: it says
    so, or its first number has 10 or 13 digits (an ISSN has 8: `1234-567X`)."""
    upper = value.upper()
    if "ISBN" in upper or "ISSN" in upper:
        return "ISBN" in upper and ("ISSN" not in upper or upper.find("ISBN") < upper.find("ISSN"))
    first = _SN_SEPARATORS.split(value.strip(), maxsplit=1)[0]
    digits = [c for c in first.upper() if c.isdigit() or c == "X"]
    if len(digits) in (10, 13):
        return True
    if len(digits) == 8:
        return False
    whole = [c for c in upper if c.isdigit() or c == "X"]
    return len(whole) in (10, 13) and value[4:5] != "-"


_URLS = re.compile(r",?\s+(?=[A-Za-z][\w+.-]*://)")  # a space or ", " before a URL


def _is_doi(value: str) -> bool:
    """Whether a field that holds a DOI or something else (EndNote's M3: a DOI or the type of
    work, "Article") holds a DOI: `10.x/y`, `doi:10.x/y` or a resolver URL."""
    v = value.strip().lower()
    return v.startswith(("10.", "doi:")) or "doi.org/10." in v


def _names(value: str) -> list[str]:
    """The names in one author tag's value: `Smith, J`, `Smith, J; Doe, A.` (citationchaser)
    or, when no other reading is possible, `Smith, J., Doe, A.` (Rayyan)."""
    if ";" not in value:
        return split_comma_names(value) or ([value] if value else [])
    return [n for n in (x.strip() for x in value.split(";")) if n]


def ris_fields(tags: dict[str, list[str]]) -> tuple[str, dict[str, object]]:
    """Map collected RIS tags to (source key, record fields). Where several tags can hold a
    field, the first non-empty value of the first tag listed wins."""
    # each tag's first non-empty value, looked up once (this runs for every record)
    first = {t: v[0] if v[0] else next((x for x in v if x), "") for t, v in tags.items()}
    get = first.get
    type_ = get("TY") or ""
    type_ = _TYPE_NAMES.get(type_.lower(), type_.upper() if len(type_) <= 6 else type_)
    title = get("TI") or get("T1") or get("CT") or get("ST") or ""
    if not title and type_ == "BOOK":
        title = get("BT") or ""
    # one author per tag, or several separated by ";" (citationchaser) or, unambiguously, ","
    authors = [n for t in _AUTHOR_TAGS for a in tags.get(t, ()) for n in _names(a)]
    if not authors:
        authors = [n for a in tags.get("A2", ()) for n in _names(a)]
    sp, ep = get("SP") or "", get("EP") or ""
    if sp.lower() in _NOT_SPECIFIED and ep.lower() in _NOT_SPECIFIED:
        sp = ep = ""
    pages = join_pages(sp, ep)
    if not pages and type_ in _ARTICLE_NUMBER_TYPES:
        c7 = (get("C7") or "").strip()
        pages = c7 if c7 and len(c7.split()) == 1 else ""
    isbn, issn = "", ""
    for sn in tags.get("SN", ()):
        if sn_is_isbn(sn):
            isbn = isbn or sn
        else:
            issn = issn or sn
    # EndNote puts a record's URLs under one UR, one per (untagged) line or joined by ", "
    urls = [u for t in ("UR", "L2", "LK", "L1") for v in tags.get(t, ()) for u in _URLS.split(v)]
    urls = [u for u in urls if u]
    doi = get("DO") or get("DI") or ""
    if not doi:  # EndNote writes the DOI in M3 (else the type of work), EBSCOhost in L3
        doi = next((v for t in ("M3", "L3") for v in tags.get(t, ()) if _is_doi(v)), "")
    if not doi:
        doi = next((u for u in urls if "doi.org/10." in u), "")
    an = get("AN") or ""
    key = get("ID") or an
    pmid = ""
    if an.upper().startswith("PMID:"):
        pmid = an[5:].strip()
    elif an.isdigit():
        db = " ".join([*tags.get("DB", ()), *tags.get("DP", ())]).lower()
        if names_pubmed(db):
            pmid = an
    c2 = (get("C2") or "").strip()
    if not pmid and c2.isdigit() and len(c2) <= 9 and type_ in _ARTICLE_NUMBER_TYPES:
        pmid = c2  # Scopus's PubMed ID (EndNote's C2 is a PMCID, "PMC...")
    c5 = (get("C5") or "").strip()
    if (
        not pmid
        and c5.isdigit()
        and len(c5) <= 9
        and "embase" in " ".join(tags.get("DB", ())).lower()
    ):
        pmid = c5  # Embase.com's RIS: the MEDLINE PMID of a record also in MEDLINE
    keywords: list[str] = []
    for kw in tags.get("KW", ()):
        keywords.extend(k for k in (collapse(x) for x in kw.split(";")) if k)
    fields: dict[str, object] = {
        "type": type_,
        "title": title,
        "authors": authors,
        "year": get("PY") or get("Y1") or get("DA") or get("Y2") or "",
        "journal": (
            get("JF") or get("JO") or get("T2") or get("J2") or get("JA") or get("J1") or ""
        ),
        "volume": get("VL") or get("VO") or "",
        "issue": get("IS") or get("CP") or "",
        "pages": pages,
        "doi": doi,
        "pmid": pmid,
        "isbn": isbn,
        "issn": issn,
        "url": urls[0] if urls else "",
        "abstract": get("AB") or get("N2") or "",
        "keywords": keywords,
        "language": get("LA") or "",
    }
    return key, fields


class RisReader:
    """Research Information Systems tagged format."""

    name = "ris"
    # Large files are read in two parts by two processes, split after an end-of-record line.
    split_marker = b"\nER  -"
    description = "RIS (.ris, .txt): PubMed, Scopus, Web of Science, Ovid, EndNote, Zotero..."

    def sniff(self, head: str, source: SourceFile) -> bool:
        tags = 0
        for line in head.lstrip("\ufeff").splitlines()[:400]:
            t = split_tag(line.lstrip("\ufeff"))
            if t is None:
                continue
            if t[0] == "TY":
                return True
            tags += 1
            if t[0] == "ER" and tags > 1:
                return True
        return False

    def read(self, source: SourceFile) -> Iterator[Entry]:
        start = 0  # line where the current block started; 0 = outside any block
        has_ty = False
        lines: list[str] = []
        tags: dict[str, list[str]] = {}
        last: list[str] | None = None
        keywords: list[str] | None = None
        skipped = 0
        codes = _CODES
        with source.open_text() as f:
            for n, line in enumerate(f, source.first_line):
                if line[-1:] == "\n":
                    line = line[:-1]
                # fast path for the common "XX  - value" layout (no tuple, one set lookup);
                # a line starting with a BOM cannot take it, so the BOM is stripped after
                if line[2:5] == "  -" and line[:2] in codes:
                    code, value = line[:2], line[5:].strip()
                else:
                    if line[:1] == "\ufeff":
                        line = line.lstrip("\ufeff")
                    if line[2:5] == "  -" and line[:2] in codes:
                        tag: tuple[str, str] | None = (line[:2], line[5:].strip())
                    elif line[2:3] == " ":
                        tag = split_tag(line)
                    else:
                        tag = None
                    if tag is None:
                        if start and line.strip():
                            lines.append(line)
                            if last is keywords and last is not None:
                                last.append(line.strip())  # one keyword per untagged line
                            elif last is not None:
                                last[-1] = (
                                    f"{last[-1]} {line.strip()}" if last[-1] else line.strip()
                                )
                        elif start:
                            lines.append(line)
                        elif line.strip():
                            skipped += 1
                        continue
                    code, value = tag
                if code == "TY":
                    if start and has_ty:
                        yield RejectedEntry(
                            start,
                            f"record starting at line {start} has no ER end tag "
                            f"(the next record starts at line {n})",
                            "\n".join(lines).rstrip(),
                        )
                    elif start:
                        skipped += len([x for x in lines if x.strip()])
                    start, has_ty, lines, tags = n, True, [line], {"TY": [value]}
                    last = tags["TY"]
                    keywords = None
                    continue
                if not start:
                    start, has_ty, lines, tags = n, False, [], {}
                lines.append(line)
                if code == "ER":
                    raw = "\n".join(lines)
                    if has_ty:
                        key, fields = ris_fields(tags)
                        yield ParsedEntry(start, raw, key, fields)
                    else:
                        yield RejectedEntry(
                            start, f"entry at lines {start}-{n} has no TY start tag", raw
                        )
                    start, has_ty, lines, tags, last = 0, False, [], {}, None
                    continue
                last = tags.get(code)
                if last is None:
                    last = tags[code] = []
                    if code == "KW":
                        keywords = last
                last.append(value)
        if start and has_ty:
            yield RejectedEntry(
                start,
                f"record starting at line {start} has no ER end tag before the end of the file "
                "(is the file truncated?)",
                "\n".join(lines).rstrip(),
            )
        elif start:
            skipped += len([x for x in lines if x.strip()])
        if skipped:
            source.warnings.append(f"{skipped} line(s) outside any RIS record were skipped")
