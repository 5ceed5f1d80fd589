"""Mutations of the real export files in ../shared/formats, for the bounded reader fuzz
(tests/readers/test_fuzz.py) and its larger run (bench/fuzz_bench.py).

The only acceptable outcomes of importing a mutated file: an import whose counts add up
(imported + quarantined = entries, in the report and in the database) or a clean refusal
(a LitsiftError). Anything else is a bug.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from sqlalchemy import text

from review.db import Store
from review.errors import LitsiftError
from review.importing import import_file

# The folder of each format in ../shared/formats and the reader that reads it.
FOLDER_READERS = {
    "bibtex": "bibtex",
    "endnote_tagged": "refer",
    "endnote_xml": "endnote-xml",
    "medline_nbib": "medline",
    "ovid_native": "ovid",
    "ris": "ris",
    "scopus_csv": "scopus-csv",
    "tabular": "tabular",
    "wos_plaintext": "wos",
}
# Formats with no file in ../shared/formats, seeded from the hand-written dialect files.
DIALECTS = Path(__file__).resolve().parents[1] / "data" / "dialects"
DIALECT_SEEDS = {"cochrane_central.txt": "cochrane", "embase_rows.csv": "field-rows"}
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "gb18030")
INSERTS = (b"\x00", b"\xff", b"\xfe\xff", b"\x1b[2J", b"\r", b"\n\n", b"\xef\xbb\xbf", b"\xc3")


@dataclass(frozen=True)
class Seed:
    """A real file to mutate: its name, bytes and the reader meant for it."""

    name: str
    data: bytes
    reader: str


def seeds(formats: Path, work: Path) -> list[Seed]:
    """Every export file under `formats`, plus a JSON and an XLSX export made from one of them
    (so that every reader has a file of its own to be fuzzed with)."""
    out = []
    for folder, reader in FOLDER_READERS.items():
        for p in sorted((formats / folder).rglob("*")):
            if p.is_file() and p.suffix.lower() not in (".md",):
                out.append(Seed(f"{folder}/{p.name}", p.read_bytes(), reader))
    # dialects nobody sent us, written by hand from their documentation (tests/data/dialects)
    for name, reader in DIALECT_SEEDS.items():
        out.append(Seed(f"dialects/{name}", (DIALECTS / name).read_bytes(), reader))
    embase = formats / "tabular" / "asreview" / "embase.csv"
    if embase.exists():
        out.append(Seed("made/embase.json", _json_of(embase, work), "json"))
        out.append(Seed("made/embase.xlsx", _xlsx_of(embase), "xlsx"))
        out.append(Seed("made/embase_wos.txt", _wos_tab_of(embase), "wos-tab"))
        out.append(Seed("made/embase_pubmed.xml", _pubmed_xml_of(embase), "pubmed-xml"))
    return out


def _wos_tab_of(csv_path: Path) -> bytes:
    """The records of a CSV as a Web of Science tab-delimited export (UTF-8 with BOM)."""
    import csv

    columns = {"PT": None, "AU": "authors", "TI": "title", "SO": "journal", "PY": "year"}
    columns |= {"AB": "abstract", "DI": "doi", "UT": None}
    lines = ["\t".join(columns)]
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            cells = [
                "J" if tag == "PT" else f"WOS:{n:015d}" if tag == "UT" else row.get(name or "", "")
                for tag, name in columns.items()
            ]
            lines.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def _pubmed_xml_of(csv_path: Path) -> bytes:
    """The records of a CSV as an efetch PubMed XML file (one article per line, as NCBI
    writes it since DTD pubmed_250101)."""
    import csv
    from xml.sax.saxutils import escape

    lines = [
        '<?xml version="1.0" ?>',
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">',
        "<PubmedArticleSet>",
    ]
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 1):
            authors = "".join(
                f"<Author><LastName>{escape(a.strip())}</LastName></Author>"
                for a in row["Author Names"].split(",")
                if a.strip()
            )
            lines.append(
                f'<PubmedArticle><MedlineCitation><PMID Version="1">{n}</PMID><Article>'
                f"<Journal><Title>{escape(row['Source'])}</Title></Journal>"
                f"<ArticleTitle>{escape(row['Title'])}</ArticleTitle><Abstract>"
                f'<AbstractText Label="BACKGROUND">{escape(row["Abstract"])}</AbstractText>'
                f"</Abstract><AuthorList>{authors}</AuthorList></Article></MedlineCitation>"
                "</PubmedArticle>"
            )
    lines.append("</PubmedArticleSet>")
    return ("\n".join(lines) + "\n").encode()


def _json_of(csv_path: Path, work: Path) -> bytes:
    from review import service

    store = service.open_review(str(work / "seed-json.db"))
    import_file(store, csv_path)
    buf = io.StringIO()
    service.export_records(store, "json", buf)
    store.dispose()
    return buf.getvalue().encode()


def _xlsx_of(csv_path: Path) -> bytes:
    import csv

    from openpyxl import Workbook  # type: ignore[import-untyped]

    wb = Workbook()
    ws = wb.active
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` after one to three mutations: byte flips, truncation, insertions (NULs, invalid
    UTF-8, escapes, BOMs), deleted or repeated stretches, or a different encoding."""
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(["flip", "truncate", "insert", "delete", "repeat", "encode", "nul"])
        )
        n = len(data)
        at = draw(st.integers(0, max(n - 1, 0)))
        if kind == "flip" and n:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "insert":
            extra = draw(st.sampled_from(INSERTS) | st.binary(min_size=1, max_size=8))
            data = data[:at] + extra + data[at:]
        elif kind == "nul":
            data = data[:at] + b"\x00" * draw(st.integers(1, 4)) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 200)) :]
        elif kind == "repeat":
            data = data[:at] + data[at : at + draw(st.integers(1, 400))] * 2 + data[at:]
        elif kind == "encode":
            codec = draw(st.sampled_from(ENCODINGS))
            data = data.decode("utf-8-sig", errors="replace").encode(codec, errors="replace")
    return data


def check_import(store: Store, path: Path, fmt: str | None) -> str:
    """Import `path`; return "imported" or "refused", or raise for any other outcome."""
    try:
        report = import_file(store, path, fmt=fmt, again=True)
    except LitsiftError as e:
        assert str(e).strip(), "a refusal says why"
        return "refused"
    assert report.entries == report.imported + len(report.quarantined), report
    with store.begin() as conn:
        row = conn.execute(
            text(
                "select n_entries, n_imported, n_quarantined, "
                "(select count(*) from record r where r.batch_id = b.id), "
                "(select count(*) from quarantine q where q.batch_id = b.id) "
                "from import_batch b where b.id = :id"
            ),
            {"id": report.batch_id},
        ).one()
    assert tuple(row) == (
        report.entries,
        report.imported,
        len(report.quarantined),
        report.imported,
        len(report.quarantined),
    ), (tuple(row), report)
    json.dumps(report.to_json())  # the report is plain data
    return "imported"
