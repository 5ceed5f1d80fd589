"""PubMed XML: what NCBI's E-utilities return for `efetch db=pubmed retmode=xml` (DTD
pubmed_250101 and earlier): a `<PubmedArticleSet>` of `<PubmedArticle>` (journal articles)
and `<PubmedBookArticle>` (NCBI Bookshelf books and chapters).

Recognised by its document element, not by the `.xml` name it shares with EndNote XML. Read
as a stream by `xml_stream.xml_entries` (each record's line is its start tag's; a malformed
file keeps the records before the error and the rest verbatim as one rejected entry).

Fields follow the MEDLINE text reader: the full journal title before its abbreviation, the
first language, a structured abstract's sections as "LABEL: text", MeSH headings after the
keywords as MEDLINE writes them (`Descriptor/qualifier`, `*` for a major topic). Inline markup
(`<i>`, `<sup>`, MathML) keeps its text. Ids are read from the record's own ArticleIdList,
never from its reference list.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from review.normalize import join_pages
from review.readers.base import Entry, ParsedEntry
from review.readers.medline import publication_type
from review.readers.source import SourceFile
from review.readers.xml_stream import (
    XmlRecords,
    all_texts,
    first_text,
    root_tag,
    text_of,
    xml_entries,
)

_ROOTS = frozenset(["PubmedArticleSet", "PubmedBookArticleSet"])
_RECORDS = XmlRecords(
    "pubmed-xml",
    frozenset(["PubmedArticle", "PubmedBookArticle"]),
    "<PubmedArticle> or <PubmedBookArticle>",
    "fetch the records again with efetch (db=pubmed, retmode=xml), or save them from PubMed "
    "in the PubMed format (.nbib)",
)


def _authors(lists: list[ET.Element]) -> list[str]:
    """`Last, ForeName Suffix` (or the initials when there is no fore name) for every valid
    author of the lists, and a group's CollectiveName as it is."""
    names: list[str] = []
    for author_list in lists:
        for author in author_list.iterfind("Author"):
            if author.get("ValidYN") == "N":
                continue
            last = first_text(author, "LastName")
            fore = first_text(author, "ForeName", "FirstName", "Initials")
            given = " ".join(v for v in (fore, first_text(author, "Suffix")) if v)
            if last:
                names.append(f"{last}, {given}" if given else last)
            elif collective := first_text(author, "CollectiveName"):
                names.append(collective)
    return names


def _author_lists(parent: ET.Element | None, editors: bool) -> list[ET.Element]:
    if parent is None:
        return []
    return [a for a in parent.iterfind("AuthorList") if (a.get("Type") == "editors") == editors]


def _abstract(parent: ET.Element | None) -> str:
    """The sections of an abstract, each "LABEL: text" when labelled, joined by a space."""
    if parent is None:
        return ""
    abstract = parent.find("Abstract")
    if abstract is None:
        abstract = parent.find("OtherAbstract")
    if abstract is None:
        return ""
    parts = []
    for section in abstract.iterfind("AbstractText"):
        text, label = text_of(section), (section.get("Label") or "").strip()
        if text:
            parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _mesh(citation: ET.Element) -> list[str]:
    """MeSH headings as the MEDLINE format's MH lines: `*Descriptor/qualifier/*qualifier`."""
    headings = []
    for heading in citation.iterfind("MeshHeadingList/MeshHeading"):
        parts = [
            ("*" if el.get("MajorTopicYN") == "Y" else "") + text_of(el)
            for el in (heading.find("DescriptorName"), *heading.iterfind("QualifierName"))
            if el is not None and text_of(el)
        ]
        if parts:
            headings.append("/".join(parts))
    return headings


def _doi(record: ET.Element, *id_lists: str) -> str:
    for path in id_lists:
        if doi := first_text(record, f"{path}/ArticleId[@IdType='doi']"):
            return doi
    return ""


def article_fields(record: ET.Element) -> tuple[str, dict[str, object]]:
    """(PMID, record fields) for one <PubmedArticle>."""
    citation = record.find("MedlineCitation")
    if citation is None:
        citation = ET.Element("MedlineCitation")
    article = citation.find("Article")
    if article is None:
        article = ET.Element("Article")
    pmid = first_text(citation, "PMID") or first_text(
        record, "PubmedData/ArticleIdList/ArticleId[@IdType='pubmed']"
    )
    doi = _doi(record, "PubmedData/ArticleIdList") or next(
        (
            text_of(e)
            for e in article.iterfind("ELocationID[@EIdType='doi']")
            if e.get("ValidYN") != "N" and text_of(e)
        ),
        "",
    )
    issue = "Journal/JournalIssue/"
    fields: dict[str, object] = {
        "type": publication_type(all_texts(article, "PublicationTypeList/PublicationType"))
        or "JOUR",
        "title": first_text(article, "ArticleTitle", "VernacularTitle"),
        "abstract": _abstract(article),
        "authors": _authors(_author_lists(article, editors=False)),
        "year": first_text(
            article, issue + "PubDate/Year", issue + "PubDate/MedlineDate", "ArticleDate/Year"
        ),
        "journal": first_text(article, "Journal/Title", "Journal/ISOAbbreviation")
        or first_text(citation, "MedlineJournalInfo/MedlineTA"),
        "volume": first_text(article, issue + "Volume"),
        "issue": first_text(article, issue + "Issue"),
        "pages": first_text(article, "Pagination/MedlinePgn")
        or join_pages(
            first_text(article, "Pagination/StartPage"), first_text(article, "Pagination/EndPage")
        ),
        "doi": doi,
        "pmid": pmid,
        "issn": first_text(article, "Journal/ISSN"),
        "language": first_text(article, "Language"),
        "keywords": all_texts(citation, "KeywordList/Keyword") + _mesh(citation),
    }
    return pmid, fields


def book_fields(record: ET.Element) -> tuple[str, dict[str, object]]:
    """(PMID, record fields) for one <PubmedBookArticle>: a chapter (its ArticleTitle) of the
    book in BookTitle, or a whole book."""
    document = record.find("BookDocument")
    if document is None:
        document = ET.Element("BookDocument")
    book = document.find("Book")
    chapter = first_text(document, "ArticleTitle")
    book_title = first_text(document, "Book/BookTitle")
    authors = (  # the chapter's, else the book's, else its editors
        _authors(_author_lists(document, False))
        or _authors(_author_lists(book, False))
        or _authors(_author_lists(book, True))
    )
    pmid = first_text(document, "PMID")
    fields: dict[str, object] = {
        "type": "CHAP" if chapter else "BOOK",
        "title": chapter or book_title,
        "journal": book_title if chapter else "",
        "abstract": _abstract(document),
        "authors": authors,
        "year": first_text(document, "Book/PubDate/Year", "Book/PubDate/MedlineDate"),
        "volume": first_text(document, "Book/Volume"),
        "pages": first_text(document, "Pagination/MedlinePgn"),
        "doi": _doi(record, "BookDocument/ArticleIdList", "PubmedBookData/ArticleIdList"),
        "pmid": pmid,
        "isbn": first_text(document, "Book/Isbn"),
        "language": first_text(document, "Language"),
        "keywords": all_texts(document, "KeywordList/Keyword"),
    }
    return pmid, fields


def _entry(line: int, record: ET.Element, raw: str) -> Entry:
    read = book_fields if record.tag == "PubmedBookArticle" else article_fields
    key, fields = read(record)
    return ParsedEntry(line, raw, key, fields)


class PubmedXmlReader:
    """PubMed XML (efetch)."""

    name = "pubmed-xml"
    description = "PubMed XML (.xml): NCBI E-utilities efetch, retmode=xml"

    def sniff(self, head: str, source: SourceFile) -> bool:
        return root_tag(head) in _ROOTS

    def read(self, source: SourceFile) -> Iterator[Entry]:
        yield from xml_entries(source, _RECORDS, _entry)
