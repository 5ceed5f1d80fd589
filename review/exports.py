"""Writing records and decisions out: CSV, JSON, RIS and BibTeX.

Record exports round-trip: importing an export into a new review gives the same records
(normalised fields and source keys; BibTeX gives each record a citation key unique in the
review instead). Every RIS type is written as itself (a type no standard BibTeX entry type
keeps goes in a `ristype` field); a record with both an ISSN and an ISBN writes two `SN` lines
that the RIS reader tells apart by their form. Rows from `review.export_view` also carry the
review's view of each record (decisions by stage, notes, tags, duplicate cluster, source):
CSV and JSON write all of it, RIS and BibTeX what their formats have room for (`DB`, `N1`;
`note`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TextIO

from review.biblio import RIS_TYPES
from review.models import BIBLIO_FIELDS, STAGES
from review.spreadsheet_cells import guard

RECORD_COLUMNS = ("record_id", *BIBLIO_FIELDS, "label_included", "litsift_id")
REVIEW_COLUMNS = ("notes", "tags", "cluster_id", "canonical", "source_database", "source_file")
_BOOK_TYPES = frozenset({"BOOK", "CHAP", "EDBOOK", "EBOOK", "ECHAP", "CONF"})
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


def stage_columns(stages: Sequence[str]) -> list[str]:
    """The CSV columns of the decisions: label, reason and reviewers at each stage."""
    return [f"{st}_{part}" for st in stages for part in ("decision", "reason", "reviewers")]


def _review_cells(r: dict[str, Any], stages: Sequence[str]) -> list[Any]:
    cells: list[Any] = []
    decisions = r.get("decisions") or {}
    for st in stages:
        d = decisions.get(st) or {}
        cells += [d.get("label", ""), d.get("reason", ""), "; ".join(d.get("reviewers", ()))]
    notes = r.get("notes") or []
    cells.append(
        " | ".join(f"{n['reviewer']}: {n['text']}" if n["reviewer"] else n["text"] for n in notes)
    )
    cells.append("; ".join(r.get("tags") or []))
    canonical = r.get("canonical")
    cells.append("" if r.get("cluster_id") is None else r["cluster_id"])
    cells.append("" if canonical is None else ("yes" if canonical else "no"))
    cells += [r.get("source_database", ""), r.get("source_file", "")]
    return cells


def write_records_csv(
    rows: Iterable[dict[str, Any]], out: TextIO, *, stages: Sequence[str] = STAGES
) -> int:
    """ASReview-compatible CSV; lists joined with '; '. Then the review's view of each
    record: the decision, reason and reviewers at each of `stages`, notes, tags, duplicate
    cluster, whether canonical, source database and file. A cell a spreadsheet would run as
    a formula is written as text (`review.spreadsheet_cells`)."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow([*RECORD_COLUMNS, *stage_columns(stages), *REVIEW_COLUMNS])
    n = 0
    for r in rows:
        cells = [
            r["source_key"],
            *(_csv_cell(r[name]) for name in BIBLIO_FIELDS),
            label_included(r.get("label")),
            r["id"],
            *_review_cells(r, stages),
        ]
        w.writerow([guard(c) for c in cells])
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
    if m is None or m.group(1) == m.group(2):  # "22-22" would read back as "22"
        return pages, ""
    return m.group(1), m.group(2)


def _ris_review_lines(r: dict[str, Any]) -> list[tuple[str, str]]:
    """The review's view of a record as RIS: `DB` (source database) and `N1` notes."""
    lines = [("DB", str(r.get("source_database") or ""))]
    for st, d in (r.get("decisions") or {}).items():
        who = ", ".join(d.get("reviewers", ()))
        why = f": {d['reason']}" if d.get("reason") else ""
        lines.append(("N1", f"litsift {st}: {d['label']}{why}" + (f" ({who})" if who else "")))
    for note in r.get("notes") or []:
        lines.append(("N1", " ".join(str(note["text"]).split())))
    if r.get("tags"):
        lines.append(("N1", "tags: " + "; ".join(r["tags"])))
    if r.get("cluster_id") is not None:
        role = "canonical" if r.get("canonical") else "merged duplicate"
        lines.append(("N1", f"duplicate cluster {r['cluster_id']} ({role})"))
    return lines


def write_records_ris(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """RIS with TY..ER per record."""
    n = 0
    for r in rows:
        type_ = str(r["type"]).upper()
        lines = [("TY", type_ if type_ in RIS_TYPES else "GEN")]
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
        numbers = [("SN", r["issn"]), ("SN", r["isbn"])]  # told apart by form on import
        lines += numbers[::-1] if type_ in _BOOK_TYPES else numbers
        lines.append(("UR", r["url"]))
        lines += [("KW", k) for k in r["keywords"]]
        lines += [("LA", r["language"]), ("AB", r["abstract"])]
        lines += _ris_review_lines(r)
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


_VERBATIM = frozenset({"url", "doi"})  # read as written by biblatex, url/doi/hyperref, Zotero


def bib_verbatim(text: str) -> str:
    """A URL or DOI as written: escaping it (`a\\_b`) would break the link. Only a value
    holding braces or a backslash, which cannot stand in a braced field as they are, is
    escaped (the reader undoes both forms)."""
    return bib_value(text) if any(c in text for c in "{}\\") else text


def bib_name(name: str) -> str:
    """A name for a BibTeX `author` list: `Last, First` as is; anything else (an institution,
    "et al.", a name with several commas) in braces so BibTeX keeps it whole."""
    escaped = bib_value(name)
    return escaped if name.count(",") == 1 and " and " not in name else f"{{{escaped}}}"


def _bib_key(key: str, n: int) -> str:
    clean = re.sub(r"[^\w:.\-+/]", "_", key)
    return clean or f"record{n}"


def _bib_note(r: dict[str, Any]) -> str:
    parts = [f"{st}: {d['label']}" for st, d in (r.get("decisions") or {}).items()]
    parts += [str(n["text"]) for n in r.get("notes") or []]
    if r.get("tags"):
        parts.append("tags: " + ", ".join(r["tags"]))
    return "; ".join(" ".join(p.split()) for p in parts)


def letter_suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ... for the n-th (1-based) repeat of a citation key."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _bib_field(name: str, value: str) -> str:
    if name == "author":
        return value  # already escaped name by name
    return bib_verbatim(value) if name in _VERBATIM else bib_value(value)


def write_records_bibtex(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    """BibTeX entries; special characters escaped so they read back unchanged."""
    from review.readers.bibtex import ENTRY_TYPES

    n = 0
    used: dict[str, int] = {}
    for r in rows:
        n += 1
        type_ = str(r["type"]).upper()
        kind = _BIB_TYPES.get(type_, "misc")
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
            ("ristype", type_ if type_ and ENTRY_TYPES.get(kind, "GEN") != type_ else ""),
            ("note", _bib_note(r)),
        ]
        key = r.get("citation_key") or _bib_key(r["source_key"], n)
        if key in used:  # rows without review-wide keys: unique within this file
            used[key] += 1
            while (candidate := key + letter_suffix(used[key])) in used:
                used[key] += 1
            key = candidate
        used.setdefault(key, 0)
        body = ",\n".join(f"  {k} = {{{_bib_field(k, v)}}}" for k, v in fields if v)
        out.write(f"@{kind}{{{key},\n{body}\n}}\n\n")
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
        w.writerows({k: guard(v) for k, v in item.items()} for item in items)
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
