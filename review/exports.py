"""Writing records and decisions out: CSV, JSON, RIS and BibTeX.

Record exports round-trip: importing an export into a new review gives the same records
(normalised fields and source keys).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from review.models import BIBLIO_FIELDS

RECORD_COLUMNS = ("record_id", *BIBLIO_FIELDS, "label_included", "litsift_id")
DECISION_COLUMNS = (
    "record_id",
    "source_key",
    "stage",
    "reviewer",
    "label",
    "reason",
    "note",
    "time",
    "retracted",
)
RIS_TYPES = {
    "JOUR",
    "BOOK",
    "CHAP",
    "CONF",
    "CPAPER",
    "RPRT",
    "THES",
    "GEN",
    "ELEC",
    "EJOUR",
    "MGZN",
    "NEWS",
    "SER",
    "PAT",
    "UNPB",
    "ABST",
    "DATA",
    "COMP",
    "EDBOOK",
    "INPR",
    "JFULL",
    "STAND",
}
_BIB_TYPES = {
    "JOUR": "article",
    "EJOUR": "article",
    "BOOK": "book",
    "EDBOOK": "book",
    "CHAP": "incollection",
    "CONF": "inproceedings",
    "CPAPER": "inproceedings",
    "RPRT": "techreport",
    "THES": "phdthesis",
    "UNPB": "unpublished",
}


def label_included(label: str | None) -> str:
    """ASReview's `label_included`: 1 include, 0 exclude, empty otherwise."""
    return {"include": "1", "exclude": "0"}.get(label or "", "")


def join_list(items: list[str]) -> str:
    """`a; b` for a CSV cell; a lone item holding a comma gets a trailing `;` so that readers
    splitting on commas when there is no semicolon keep it whole."""
    if len(items) == 1 and ("," in items[0] or " and " in items[0]):
        return items[0] + ";"
    return "; ".join(items)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return join_list(value)
    return "" if value is None else value


def write_records_csv(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """ASReview-compatible CSV; lists joined with '; '."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(RECORD_COLUMNS)
    n = 0
    for r in rows:
        w.writerow(
            [
                r["source_key"],
                *(_csv_cell(r[name]) for name in BIBLIO_FIELDS),
                label_included(r.get("label")),
                r["id"],
            ]
        )
        n += 1
    return n


def write_records_json(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """A JSON list of record objects (readable again by the `json` reader)."""
    out.write("[")
    n = 0
    for r in rows:
        item = {"record_id": r["source_key"], **{k: v for k, v in r.items() if k != "raw"}}
        out.write(("," if n else "") + "\n  " + json.dumps(item, ensure_ascii=False, default=str))
        n += 1
    out.write("\n]\n")
    return n


def _ris_pages(pages: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*([^\s-]+)\s*[-–]\s*([^\s-]+)\s*", pages)
    return (m.group(1), m.group(2)) if m else (pages, "")


def write_records_ris(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """RIS with TY..ER per record."""
    n = 0
    for r in rows:
        lines = [("TY", r["type"] if r["type"] in RIS_TYPES else "GEN")]
        lines.append(("ID", r["source_key"]))
        lines.append(("TI", r["title"]))
        lines += [("AU", a) for a in r["authors"]]
        lines.append(("PY", "" if r["year"] is None else str(r["year"])))
        lines.append(("T2", r["journal"]))
        lines.append(("VL", r["volume"]))
        lines.append(("IS", r["issue"]))
        sp, ep = _ris_pages(r["pages"])
        lines += [("SP", sp), ("EP", ep)]
        lines.append(("DO", r["doi"]))
        if r["pmid"]:
            lines.append(("AN", f"PMID:{r['pmid']}"))
        lines += [("SN", r["isbn"]), ("SN", r["issn"]), ("UR", r["url"])]
        lines += [("KW", k) for k in r["keywords"]]
        lines += [("LA", r["language"]), ("AB", r["abstract"])]
        for tag, value in lines:
            if value:
                out.write(f"{tag}  - {value}\n")
        out.write("ER  - \n\n")
        n += 1
    return n


_BIB_ESCAPE = str.maketrans(
    {
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "\\": r"\textbackslash{}",
        "^": r"\textasciicircum{}",
    }
)


def bib_value(text: str) -> str:
    """Escape a value for a braced BibTeX field (decoded back by the LaTeX-aware reader);
    `--`, two backticks and two quotes are split so they stay literal (not dashes, quotes)."""
    text = text.translate(_BIB_ESCAPE)
    for pair in ("--", "``", "''"):
        while pair in text:
            text = text.replace(pair, pair[0] + "{}" + pair[1])
    return text


def bib_name(name: str) -> str:
    """A name for a BibTeX `author` list: `Last, First` as is; anything else (an institution,
    "et al.", a name with several commas) in braces so BibTeX keeps it whole."""
    escaped = bib_value(name)
    return escaped if name.count(",") == 1 and " and " not in name else f"{{{escaped}}}"


def _bib_key(key: str, n: int) -> str:
    clean = re.sub(r"[^\w:.\-+/]", "_", key)
    return clean or f"record{n}"


def write_records_bibtex(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """BibTeX entries; special characters escaped so they read back unchanged."""
    n = 0
    for r in rows:
        n += 1
        kind = _BIB_TYPES.get(r["type"], "misc")
        container = "booktitle" if kind in ("inproceedings", "incollection") else "journal"
        fields = [
            ("title", r["title"]),
            ("author", " and ".join(bib_name(a) for a in r["authors"])),
            ("year", "" if r["year"] is None else str(r["year"])),
            (container, r["journal"]),
            ("volume", r["volume"]),
            ("number", r["issue"]),
            ("pages", r["pages"]),
            ("doi", r["doi"]),
            ("pmid", r["pmid"]),
            ("isbn", r["isbn"]),
            ("issn", r["issn"]),
            ("url", r["url"]),
            ("keywords", join_list(r["keywords"])),
            ("language", r["language"]),
            ("abstract", r["abstract"]),
        ]
        body = ",\n".join(
            f"  {k} = {{{v if k == 'author' else bib_value(v)}}}" for k, v in fields if v
        )
        out.write(f"@{kind}{{{_bib_key(r['source_key'], n)},\n{body}\n}}\n\n")
    return n


def write_decisions(rows: Iterable[dict[str, Any]], fmt: str, out: TextIO) -> int:
    """One row per decision (retracted ones included, marked)."""

    def iso(t: datetime | None) -> str:
        return t.isoformat() if t else ""

    items = [
        {
            "record_id": r["record_id"],
            "source_key": r["source_key"],
            "stage": r["stage"],
            "reviewer": r["reviewer"],
            "label": r["label"],
            "reason": r["reason"],
            "note": r["note"],
            "time": iso(r["created_at"]),
            "retracted": iso(r["retracted_at"]),
        }
        for r in rows
    ]
    if fmt == "json":
        json.dump(items, out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        w = csv.DictWriter(out, fieldnames=DECISION_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(items)
    return len(items)


RECORD_WRITERS = {
    "csv": write_records_csv,
    "json": write_records_json,
    "ris": write_records_ris,
    "bibtex": write_records_bibtex,
}


def to_string(writer: Any, rows: Iterable[dict[str, Any]]) -> str:
    """Run a writer into a string (tests, small exports)."""
    buf = io.StringIO()
    writer(rows, buf)
    return buf.getvalue()
