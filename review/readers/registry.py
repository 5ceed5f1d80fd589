"""All readers, in the order formats are tried when detecting a file's format by its content."""

from __future__ import annotations

from review.errors import ImportFormatError
from review.readers.base import Reader
from review.readers.source import SourceFile


def all_readers() -> list[Reader]:
    """Every reader, most specific first (XML and tagged formats before delimited text)."""
    from review.readers.bibtex import BibtexReader
    from review.readers.cochrane import CochraneReader
    from review.readers.endnote_xml import EndnoteXmlReader
    from review.readers.field_rows import FieldRowsReader
    from review.readers.json_list import JsonListReader
    from review.readers.medline import MedlineReader
    from review.readers.ovid import OvidReader
    from review.readers.pubmed_xml import PubmedXmlReader
    from review.readers.refer import ReferReader
    from review.readers.ris import RisReader
    from review.readers.tabular import ScopusCsvReader, TabularReader, WosTabReader
    from review.readers.wos import WosReader
    from review.readers.xlsx import XlsxReader

    return [
        XlsxReader(),
        PubmedXmlReader(),
        EndnoteXmlReader(),
        OvidReader(),
        MedlineReader(),
        WosReader(),
        RisReader(),
        CochraneReader(),
        BibtexReader(),
        ReferReader(),
        JsonListReader(),
        FieldRowsReader(),
        WosTabReader(),
        ScopusCsvReader(),
        TabularReader(),
    ]


FORMAT_ALIASES = {
    "nbib": "medline",
    "pubmed": "medline",
    "bib": "bibtex",
    "csv": "tabular",
    "tsv": "tabular",
    "xml": "endnote-xml",
    "endnote": "endnote-xml",
    "isi": "wos",
    "scopus": "scopus-csv",
    "enw": "refer",
    "eric": "medline",
    "ovd": "ovid",
    "embase-ovid": "ovid",
    "embase-rows": "field-rows",
}


def reader_names() -> list[str]:
    """The names accepted by --format."""
    return [r.name for r in all_readers()]


def get_reader(name: str) -> Reader:
    """The reader called `name` (or a common alias such as `nbib`, `bib`, `csv`)."""
    wanted = FORMAT_ALIASES.get(name.lower(), name.lower())
    for r in all_readers():
        if r.name == wanted:
            return r
    raise ImportFormatError(
        f"unknown format {name!r}", hint="choose one of: " + ", ".join(reader_names())
    )


def detect_reader(source: SourceFile) -> Reader:
    """The first reader whose sniff accepts the file's content. A file no reader accepts is
    refused: a table without a title column says so (naming its columns), else "no known
    format"."""
    head = source.head()
    for r in all_readers():
        if r.sniff(head, source):
            return r
    from review.readers.columns import GENERIC_COLUMNS
    from review.readers.tabular import table_columns

    columns = None if source.is_zip else table_columns(head)
    if columns:
        shown = ", ".join(repr(c) for c in columns[:30]) + (", ..." if len(columns) > 30 else "")
        raise ImportFormatError(
            f"{source.path}: a table with no title column (its columns: {shown})",
            hint="name the column holding titles one of: "
            + ", ".join(GENERIC_COLUMNS.fields["title"][:4])
            + "; or pass --format tabular to import the rows without titles",
        )
    what = "a ZIP archive that is not an Excel workbook" if source.is_zip else "no known format"
    raise ImportFormatError(
        f"{source.path}: {what} (tried " + ", ".join(reader_names()) + ")",
        hint="export the references as RIS, BibTeX, MEDLINE, CSV/TSV/XLSX or EndNote XML, "
        "or name the format with --format",
    )
