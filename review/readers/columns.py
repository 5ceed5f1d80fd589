"""Which columns of a spreadsheet of references feed each record field.

The header names are those of each major database's or reference manager's CSV/Excel export,
written lower case with single spaces (`header_key`); the first non-empty cell of the listed
columns wins. Sources (each one's export documentation or a real export):

- Lens.org scholarly works: `Lens ID`, `Title`, `Author/s`, `Publication Year`, `Date Published`,
  `Source Title`, `Volume`, `Issue Number`, `Start Page`, `End Page`, `DOI`, `PMID`, `ISSNs`,
  `Publication Type`, `Keywords`, `MeSH Terms`, `Source URLs`, `External URL`, `Abstract`
- Scopus: `Authors`, `Author full names`, `Title`, `Year`, `Source title`, `Volume`, `Issue`,
  `Art. No.`, `Page start`, `Page end`, `DOI`, `Link`, `Abstract`, `Author Keywords`,
  `Index Keywords`, `ISSN`, `ISBN`, `PubMed ID`, `Language of Original Document`,
  `Document Type`, `EID`
- Web of Science (Excel/tab with full names): `Article Title`, `Authors`, `Author Full Names`,
  `Source Title`, `Publication Year`, `Volume`, `Issue`, `Start Page`, `End Page`,
  `Article Number`, `DOI`, `Pubmed Id`, `ISSN`, `eISSN`, `ISBN`, `Author Keywords`,
  `Keywords Plus`, `Document Type`, `Language`, `UT (Unique WOS ID)`
- Dimensions: `Publication ID`, `DOI`, `PMID`, `Title`, `Abstract`, `Source title`, `PubYear`,
  `Volume`, `Issue`, `Pagination`, `Publication Type`, `Authors`, `MeSH terms`,
  `Source Linkout`, `Dimensions URL` (after a banner line "About the data: ...")
- OpenAlex: `id`, `display_name`, `title`, `publication_year`, `doi`, `type`,
  `authorships.author.display_name` (`|`-separated), `primary_location.source.display_name`,
  `biblio.volume`, `biblio.issue`, `biblio.first_page`, `biblio.last_page`, `ids.pmid`,
  `language`, `keywords.display_name`
- PubMed CSV: `PMID`, `Title`, `Authors`, `Citation`, `Journal/Book`, `Publication Year`, `DOI`
- Embase: `Title`, `Author Names`, `Source title` (or `Source`, a whole citation),
  `Publication Year`, `Volume`, `Issue`, `First Page`, `Last Page`, `ISSN`, `DOI`, `PUI`,
  `Medline PMID`, `Language of Article`, `Emtree ...` terms
- EBSCOhost: `Title`, `Author`, `Journal Title`, `ISSN`, `ISBN`, `Publication Date`, `Volume`,
  `Issue`, `First Page`, `Accession Number`, `DOI`, `Doctype`, `Subjects`, `Keywords`,
  `Abstract`, `PLink`
- ProQuest: `Title`, `Authors`, `Abstract`, `pubtitle`, `year`, `pubdate`, `volume`, `issue`,
  `pages`, `startPage`, `endPage`, `DOI`, `digitalObjectIdentifier`, `documentURL`,
  `StoreId`, `ArticleType`, `ISSN`, `ISBN`, `Language`, `Identifier / keyword`, `subjectTerms`
- Zotero: `Key`, `Item Type`, `Publication Year`, `Author`, `Title`, `Publication Title`,
  `ISBN`, `ISSN`, `DOI`, `Url`, `Abstract Note`, `Pages`, `Issue`, `Volume`, `Language`,
  `Manual Tags`, `Automatic Tags`, and `Extra`, whose `PMID: ...` (and, for item types
  without a DOI field, `DOI: ...`) lines Zotero's PubMed import writes
- IEEE Xplore: `Document Title`, `Authors`, `Publication Title`, `Publication Year`, `Volume`,
  `Issue`, `Start Page`, `End Page`, `Abstract`, `ISSN`, `ISBNs`, `DOI`, `PDF Link`,
  `Author Keywords`
- Publish or Perish (Google Scholar): `Authors`, `Title`, `Year`, `Source`, `ArticleURL`, `DOI`,
  `ISSN`, `Volume`, `Issue`, `StartPage`, `EndPage`, `Abstract`, `Type`
- Covidence: `Title`, `Authors`, `Abstract`, `Published Year`, `Journal`, `Volume`, `Issue`,
  `Pages`, `Accession Number`, `DOI`; Rayyan: `key`, `title`, `authors`, `journal`, `issn`,
  `volume`, `issue`, `pages`, `year`, `url`, `abstract`, `doi`, `keywords` (their `Notes`/
  `notes` with the reviewers' decisions stay in the raw entry)
- ASReview/SYNERGY/RIS-like names: `primary_title`, `notes_abstract`, `first_authors`, ...

A column a file has and no spec maps is reported once per file (`unmapped_columns`); its cells
stay in each record's raw entry (the row as written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def header_key(cell: str) -> str:
    """A header cell as matched against column names: no BOM, no-break space or quotes, lower
    case, single spaces."""
    cell = cell.replace("\ufeff", "").replace("\xa0", " ").strip().strip('"')
    return " ".join(cell.split()).lower()


@dataclass(frozen=True)
class ColumnSpec:
    """Which header names (lower case) feed each record field, in order of preference."""

    fields: Mapping[str, tuple[str, ...]]  # first non-empty cell wins
    keywords: tuple[str, ...] = ()  # every one is merged
    page_start: tuple[str, ...] = ()
    page_end: tuple[str, ...] = ()
    article_number: tuple[str, ...] = ()
    key: tuple[str, ...] = ()  # the row's id in the source
    label: tuple[str, ...] = ()  # a screening label, passed through as `label_included`
    citation: tuple[str, ...] = ()  # a whole citation ("J. 2020;12(3):45-67"), parsed if needed
    extra: tuple[str, ...] = ()  # "Key: value" lines (Zotero's Extra): PMID, DOI if none

    def names(self) -> frozenset[str]:
        """Every header name this spec maps."""
        out: set[str] = set()
        for names in self.fields.values():
            out.update(names)
        for group in (
            self.keywords,
            self.page_start,
            self.page_end,
            self.article_number,
            self.key,
            self.label,
            self.citation,
            self.extra,
        ):
            out.update(group)
        return frozenset(out)


GENERIC_COLUMNS = ColumnSpec(
    fields={
        "title": (
            "title",
            "primary_title",
            "article title",
            "document title",
            "display_name",
            "ti",
            "t1",
        ),
        "abstract": ("abstract", "abstract note", "notes_abstract", "ab", "n2"),
        "authors": (
            "authors",
            "author",
            "author/s",
            "author names",
            "first_authors",
            "authorships.author.display_name",
            "author full names",
            "au",
            "a1",
        ),
        "year": (
            "year",
            "publication year",
            "published year",
            "publication_year",
            "pubyear",
            "py",
            "date published",
            "publication date",
            "publication_date",
            "pubdate",
            "date",
        ),
        "journal": (
            "journal",
            "source title",
            "publication title",
            "publication_title",
            "secondary_title",
            "journal title",
            "journal/book",
            "pubtitle",
            "primary_location.source.display_name",
            "t2",
            "source",
        ),
        "volume": ("volume", "biblio.volume"),
        "issue": ("issue", "issue number", "biblio.issue", "number"),
        "pages": ("pages", "page", "pagination"),
        "doi": ("doi", "digitalobjectidentifier", "do"),
        "pmid": ("pmid", "pubmed_id", "pubmed id", "ids.pmid", "medline pmid"),
        "isbn": ("isbn", "isbns"),
        "issn": ("issn", "issns", "eissn", "primary_location.source.issn_l"),
        "url": (
            "url",
            "link",
            "source urls",
            "external url",
            "source linkout",
            "documenturl",
            "plink",
            "primary_location.landing_page_url",
            "dimensions url",
            "full record link",
            "articleurl",
            "pdf link",
        ),
        "language": ("language", "language of original document", "language of article"),
        "type": (
            "type_of_reference",
            "item type",
            "document type",
            "publication type",
            "articletype",
            "doctype",
            "type",
            "entrytype",
        ),
    },
    keywords=(
        "keywords",
        "author keywords",
        "kw",
        "manual tags",
        "automatic tags",
        "index keywords",
        "keywords plus",
        "mesh terms",
        "subjects",
        "identifier / keyword",
        "subjectterms",
        "keywords.display_name",
    ),
    page_start=(
        "page start",
        "start_page",
        "start page",
        "first page",
        "startpage",
        "biblio.first_page",
    ),
    page_end=("page end", "end_page", "end page", "endpage", "biblio.last_page", "last page"),
    article_number=("art. no.", "article number"),
    key=(
        "record_id",
        "id",
        "key",
        "openalex_id",
        "lens id",
        "eid",
        "ut (unique wos id)",
        "publication id",
        "accession number",
        "an",
        "storeid",
        "pui",
        "embase accession id",
    ),
    label=("label_included", "included", "label", "final_included", "included_label"),
    citation=("citation",),
    extra=("extra",),
)
SCOPUS_COLUMNS = ColumnSpec(
    fields={
        "title": ("title",),
        "abstract": ("abstract",),
        "authors": ("authors", "author full names"),
        "year": ("year",),
        "journal": ("source title",),
        "volume": ("volume",),
        "issue": ("issue",),
        "doi": ("doi",),
        "pmid": ("pubmed id",),
        "isbn": ("isbn",),
        "issn": ("issn",),
        "url": ("link",),
        "language": ("language of original document",),
        "type": ("document type",),
    },
    keywords=("author keywords", "index keywords"),
    page_start=("page start",),
    page_end=("page end",),
    article_number=("art. no.",),
    key=("eid",),
)

WOS_COLUMNS = ColumnSpec(
    fields={
        "title": ("ti",),
        "abstract": ("ab",),
        "authors": ("af", "au"),
        "year": ("py", "pd", "ea"),
        "journal": ("so",),
        "volume": ("vl",),
        "issue": ("is",),
        "doi": ("di",),
        "pmid": ("pm",),
        "isbn": ("bn",),
        "issn": ("sn", "ei"),
        "language": ("la",),
        "type": ("dt", "pt"),
    },
    keywords=("de", "id"),
    page_start=("bp",),
    page_end=("ep",),
    article_number=("ar",),
    key=("ut",),
)


def is_wos_tag_header(names: Sequence[str]) -> bool:
    """Whether a header row is Web of Science's field tags (`PT AU BA ... UT`), as in its
    tab-delimited export, or that export saved again as CSV or Excel."""
    tags = [n.strip().upper() for n in names]
    return len(tags) > 2 and (tags[:2] == ["PT", "AU"] or {"UT", "TI", "SO"} <= set(tags))


def spec_for_header(header: Sequence[str], spec: ColumnSpec) -> ColumnSpec:
    """The columns to read a table by: WoS's when its header is WoS field tags, whatever
    the delimiter or the container (a generic name such as `ID` means something else
    there: Keywords Plus), else `spec`."""
    return WOS_COLUMNS if is_wos_tag_header([header_key(c) for c in header]) else spec


def unmapped_columns(header: Sequence[str], spec: ColumnSpec) -> list[str]:
    """The header's non-empty column names (as written) that `spec` does not map."""
    known = spec.names()
    out: list[str] = []
    for cell in header:
        name = " ".join(cell.replace("\ufeff", "").replace("\xa0", " ").split()).strip('"')
        if name and header_key(cell) not in known and name not in out:
            out.append(name)
    return out
