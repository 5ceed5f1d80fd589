"""PubMed XML (E-utilities `efetch db=pubmed retmode=xml`): a <PubmedArticleSet> of
<PubmedArticle> and <PubmedBookArticle>, laid out as NCBI writes it (DTD pubmed_250101: one
article per line; older DTDs, e.g. pubmed_190101, indented), detection next to EndNote XML,
entity declarations refused, damaged files kept verbatim."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.db import Store
from review.errors import ImportFormatError
from review.importing import import_file
from review.readers.endnote_xml import EndnoteXmlReader
from review.readers.pubmed_xml import PubmedXmlReader
from review.readers.registry import detect_reader, get_reader
from review.readers.source import open_source
from tests.conftest import shared_file
from tests.readers.util import read_all

READER = PubmedXmlReader()

HEAD_2025 = (
    '<?xml version="1.0" ?>\n'
    '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet>\n"
)
# A journal article as efetch writes it: structured abstract, inline markup in the title,
# a collective author, DOI both in ELocationID and ArticleIdList, and a reference list
# whose DOIs and PMIDs are someone else's.
ARTICLE = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM" IndexingMethod="Automated">'
    '<PMID Version="1">31978945</PMID><Article PubModel="Print-Electronic"><Journal>'
    '<ISSN IssnType="Electronic">1533-4406</ISSN><JournalIssue CitedMedium="Internet">'
    "<Volume>382</Volume><Issue>8</Issue><PubDate><Year>2020</Year><Month>Feb</Month>"
    "<Day>20</Day></PubDate></JournalIssue><Title>The New England journal of medicine</Title>"
    "<ISOAbbreviation>N Engl J Med</ISOAbbreviation></Journal>"
    "<ArticleTitle>A novel <i>coronavirus</i> and CD4<sup>+</sup> T cells in patients with "
    "pneumonia in China, 2019.</ArticleTitle><Pagination><StartPage>727</StartPage>"
    "<EndPage>733</EndPage><MedlinePgn>727-733</MedlinePgn></Pagination>"
    '<ELocationID EIdType="doi" ValidYN="Y">10.1056/NEJMoa2001017</ELocationID><Abstract>'
    '<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">In December 2019, a cluster '
    "of patients with pneumonia of unknown cause was linked to a seafood market.</AbstractText>"
    '<AbstractText Label="METHODS" NlmCategory="METHODS">We used <i>unbiased</i> sequencing '
    "in samples from patients.</AbstractText>"
    "<CopyrightInformation>Copyright 2020 Massachusetts Medical Society.</CopyrightInformation>"
    '</Abstract><AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Zhu</LastName>'
    "<ForeName>Na</ForeName><Initials>N</Initials></Author>"
    '<Author ValidYN="Y"><LastName>Tan</LastName><Initials>W</Initials></Author>'
    '<Author ValidYN="Y"><LastName>Smith</LastName><ForeName>John</ForeName>'
    "<Initials>J</Initials><Suffix>Jr</Suffix></Author>"
    '<Author ValidYN="Y"><CollectiveName>China Novel Coronavirus Investigating and Research '
    "Team</CollectiveName></Author></AuthorList><Language>eng</Language>"
    '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType>'
    "</PublicationTypeList></Article><MedlineJournalInfo><Country>United States</Country>"
    "<MedlineTA>N Engl J Med</MedlineTA></MedlineJournalInfo><MeshHeadingList><MeshHeading>"
    '<DescriptorName UI="D018352" MajorTopicYN="N">Coronavirus Infections</DescriptorName>'
    '<QualifierName UI="Q000821" MajorTopicYN="Y">virology</QualifierName></MeshHeading>'
    '<MeshHeading><DescriptorName UI="D006801" MajorTopicYN="N">Humans</DescriptorName>'
    '</MeshHeading><MeshHeading><DescriptorName UI="D011024" MajorTopicYN="Y">Pneumonia, '
    "Viral</DescriptorName></MeshHeading></MeshHeadingList>"
    '<KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">SARS-CoV-2</Keyword></KeywordList>'
    "</MedlineCitation><PubmedData><PublicationStatus>ppublish</PublicationStatus>"
    '<ArticleIdList><ArticleId IdType="pubmed">31978945</ArticleId>'
    '<ArticleId IdType="doi">10.1056/NEJMoa2001017</ArticleId></ArticleIdList>'
    "<ReferenceList><Reference><Citation>Someone else. 2018.</Citation><ArticleIdList>"
    '<ArticleId IdType="doi">10.9999/not-this-one</ArticleId>'
    '<ArticleId IdType="pubmed">11111111</ArticleId></ArticleIdList></Reference>'
    "</ReferenceList></PubmedData></PubmedArticle>\n"
)
# MedlineDate instead of Year, no Journal/Title, the DOI only in ELocationID, not in English.
OLD_ARTICLE = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">10065955'
    '</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print">'
    "<Volume>12</Volume><Issue>4</Issue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate>"
    "</PubDate></JournalIssue><ISOAbbreviation>Rev Med Chil</ISOAbbreviation></Journal>"
    "<ArticleTitle>[Use of corticoids in meningitis].</ArticleTitle><Pagination>"
    "<MedlinePgn>1-9</MedlinePgn></Pagination>"
    '<ELocationID EIdType="pii" ValidYN="Y">S0034-98871998001200001</ELocationID>'
    '<ELocationID EIdType="doi" ValidYN="Y">10.4067/S0034-98871998001200001</ELocationID>'
    '<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Pérez</LastName>'
    "<ForeName>José</ForeName><Initials>J</Initials></Author></AuthorList>"
    "<Language>spa</Language><PublicationTypeList>"
    '<PublicationType UI="D016454">Review</PublicationType></PublicationTypeList>'
    "<VernacularTitle>Uso de corticoides en meningitis.</VernacularTitle></Article>"
    "</MedlineCitation><PubmedData><ArticleIdList>"
    '<ArticleId IdType="pubmed">10065955</ArticleId></ArticleIdList></PubmedData>'
    "</PubmedArticle>\n"
)
# A chapter of an NCBI Bookshelf book: the chapter's authors at BookDocument level, the
# book's editors in Book/AuthorList Type="editors".
BOOK = (
    '<PubmedBookArticle><BookDocument><PMID Version="1">20301295</PMID><ArticleIdList>'
    '<ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList><Book>'
    "<Publisher><PublisherName>University of Washington, Seattle</PublisherName>"
    "<PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>"
    '<BookTitle book="gene">GeneReviews<sup>®</sup></BookTitle><PubDate><Year>1993</Year>'
    '</PubDate><AuthorList Type="editors"><Author><LastName>Adam</LastName>'
    "<ForeName>Margaret P</ForeName><Initials>MP</Initials></Author></AuthorList>"
    '<AuthorList Type="authors"><Author><LastName>Book</LastName><ForeName>Whole</ForeName>'
    "</Author></AuthorList>"
    '<Isbn>9780000000002</Isbn></Book><LocationLabel Type="chapter">Hereditary Disease'
    "</LocationLabel>"
    '<ArticleTitle book="gene" part="hd">Huntington Disease</ArticleTitle>'
    "<Language>eng</Language>"
    '<AuthorList Type="authors"><Author><LastName>Caron</LastName><ForeName>Nicholas S'
    "</ForeName><Initials>NS</Initials></Author></AuthorList>"
    '<Abstract><AbstractText Label="CLINICAL CHARACTERISTICS">Huntington disease is a '
    "progressive disorder.</AbstractText><AbstractText>Management is supportive."
    "</AbstractText></Abstract></BookDocument><PubmedBookData><ArticleIdList>"
    '<ArticleId IdType="pubmed">20301295</ArticleId></ArticleIdList></PubmedBookData>'
    "</PubmedBookArticle>\n"
)
EFETCH_2025 = HEAD_2025 + ARTICLE + OLD_ARTICLE + BOOK + "</PubmedArticleSet>\n"

# The indented layout of earlier DTDs: a record's line is its <PubmedArticle> tag's line.
EFETCH_2019 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">
<PubmedArticleSet>
  <PubmedArticle>
    <MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">1</PMID>
      <Article PubModel="Print">
        <Journal>
          <JournalIssue CitedMedium="Print">
            <PubDate>
              <Year>1975</Year>
            </PubDate>
          </JournalIssue>
          <Title>Biochemical medicine</Title>
        </Journal>
        <ArticleTitle>Formate assay in body fluids.</ArticleTitle>
      </Article>
    </MedlineCitation>
  </PubmedArticle>
  <PubmedArticle>
    <MedlineCitation Status="MEDLINE" Owner="NLM">
      <PMID Version="1">2</PMID>
      <Article PubModel="Print">
        <ArticleTitle>Second record.</ArticleTitle>
      </Article>
    </MedlineCitation>
  </PubmedArticle>
</PubmedArticleSet>
"""


def _write(tmp_path: Path, text: str, name: str = "pubmed.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_efetch_journal_article(tmp_path: Path) -> None:
    (rec, _, _), bad = read_all(READER, _write(tmp_path, EFETCH_2025))
    assert not bad
    assert (rec["line"], rec["source_key"], rec["pmid"]) == (4, "31978945", "31978945")
    assert rec["title"] == (
        "A novel coronavirus and CD4+ T cells in patients with pneumonia in China, 2019."
    )
    assert rec["abstract"] == (
        "BACKGROUND: In December 2019, a cluster of patients with pneumonia of unknown cause "
        "was linked to a seafood market. METHODS: We used unbiased sequencing in samples from "
        "patients."
    )
    assert rec["authors"] == [
        "Zhu, Na",
        "Tan, W",
        "Smith, John Jr",
        "China Novel Coronavirus Investigating and Research Team",
    ]
    assert rec["journal"] == "The New England journal of medicine"
    assert (rec["year"], rec["volume"], rec["issue"], rec["pages"]) == (2020, "382", "8", "727-733")
    assert rec["doi"] == "10.1056/nejmoa2001017"  # not the reference list's
    assert (rec["issn"], rec["language"], rec["type"]) == ("1533-4406", "eng", "JOUR")
    # MeSH headings as the MEDLINE text format writes them (MH), after the keywords (OT)
    assert rec["keywords"] == [
        "SARS-CoV-2",
        "Coronavirus Infections/*virology",
        "Humans",
        "*Pneumonia, Viral",
    ]
    assert rec["raw"] == ARTICLE.rstrip("\n")  # as written


def test_medline_date_abbreviation_and_elocation_doi(tmp_path: Path) -> None:
    (_, rec, _), _ = read_all(READER, _write(tmp_path, EFETCH_2025))
    assert (rec["line"], rec["pmid"], rec["year"]) == (5, "10065955", 1998)
    assert rec["journal"] == "Rev Med Chil"
    assert rec["doi"] == "10.4067/s0034-98871998001200001"  # the doi, not the pii
    assert rec["authors"] == ["Pérez, José"]
    assert (rec["title"], rec["language"], rec["type"]) == (
        "[Use of corticoids in meningitis].",
        "spa",
        "JOUR",
    )


def test_book_chapter(tmp_path: Path) -> None:
    (_, _, rec), _ = read_all(READER, _write(tmp_path, EFETCH_2025))
    assert (rec["line"], rec["source_key"], rec["pmid"]) == (6, "20301295", "20301295")
    assert (rec["type"], rec["title"]) == ("CHAP", "Huntington Disease")
    assert rec["journal"] == "GeneReviews®"  # the book the chapter is in
    assert rec["authors"] == ["Caron, Nicholas S"]  # not the book's editor
    assert rec["year"] == 1993 and rec["isbn"] == "9780000000002"
    assert rec["abstract"] == (
        "CLINICAL CHARACTERISTICS: Huntington disease is a progressive disorder. "
        "Management is supportive."
    )


def test_indented_layout_gives_each_record_its_tags_line(tmp_path: Path) -> None:
    good, bad = read_all(READER, _write(tmp_path, EFETCH_2019))
    assert not bad
    assert [(g["line"], g["pmid"], g["title"], g["year"]) for g in good] == [
        (4, "1", "Formate assay in body fluids.", 1975),
        (20, "2", "Second record.", None),
    ]
    assert good[0]["journal"] == "Biochemical medicine"
    start = EFETCH_2019.index("<PubmedArticle>")
    end = EFETCH_2019.index("</PubmedArticle>") + len("</PubmedArticle>")
    assert good[0]["raw"] == EFETCH_2019[start:end]


def test_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    for name in ("pubmed.xml", "efetch.txt", "pubmed_result"):
        source = open_source(_write(tmp_path, EFETCH_2025, name))
        assert detect_reader(source).name == "pubmed-xml", name
    assert get_reader("pubmed-xml").name == "pubmed-xml"


@pytest.mark.parametrize(
    "rel",
    [
        "formats/endnote_xml/jabref/EndnoteXmlImporterTestArticle.xml",
        "formats/endnote_xml/jabref/EndnoteXmlImporterTestLabelAndMultiTitle.xml",
        "formats/endnote_xml/asysd/mendeley_export.xml",
    ],
)
def test_endnote_xml_is_still_endnote_xml(rel: str) -> None:
    source = open_source(shared_file(rel))
    assert detect_reader(source).name == "endnote-xml"
    assert not READER.sniff(source.head(), source)


def test_pubmed_xml_is_not_taken_for_endnote_xml(tmp_path: Path) -> None:
    source = open_source(_write(tmp_path, EFETCH_2025))
    assert not EndnoteXmlReader().sniff(source.head(), source)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&lol2;</ArticleTitle>
</Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>
"""


def test_entity_declarations_are_refused_and_nothing_is_written(
    tmp_path: Path, store: Store
) -> None:
    path = _write(tmp_path, BOMB)
    with pytest.raises(ImportFormatError, match=r"pubmed\.xml.*entit") as e:
        import_file(store, path)
    assert "line 3" in str(e.value)
    from tests.test_import_service import counts

    assert counts(store) == (0, 0, 0)


def test_truncated_file_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    text = EFETCH_2025[: EFETCH_2025.index('<Abstract><AbstractText Label="CLINICAL')]
    good, bad = read_all(READER, _write(tmp_path, text))
    assert [g["pmid"] for g in good] == ["31978945", "10065955"]
    (rest,) = bad
    assert rest.line == 6
    assert "malformed" in rest.reason and "line 6" in rest.reason
    assert rest.raw.startswith("<PubmedBookArticle><BookDocument>")


def test_broken_record_in_the_middle_is_kept_verbatim_with_the_rest(tmp_path: Path) -> None:
    text = EFETCH_2025.replace("<Volume>12</Volume>", "<Volume>12</Volme>")
    good, bad = read_all(READER, _write(tmp_path, text))
    assert [g["pmid"] for g in good] == ["31978945"]
    (rest,) = bad
    assert rest.line == 5 and "mismatched tag" in rest.reason
    assert rest.raw.startswith("<PubmedArticle>") and "20301295" in rest.raw


def test_unreadable_before_any_record_is_refused_with_the_line(tmp_path: Path) -> None:
    text = EFETCH_2025.replace('<PMID Version="1">31978945', "<PMID Version=1>31978945")
    path = _write(tmp_path, text)
    with pytest.raises(ImportFormatError, match=r"pubmed\.xml.*line 4"):
        list(READER.read(open_source(path)))


def test_empty_article_set_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD_2025 + "</PubmedArticleSet>\n")
    with pytest.raises(ImportFormatError, match=r"pubmed\.xml.*no <PubmedArticle>"):
        list(READER.read(open_source(path)))


def test_import_adds_up_and_keeps_the_pmids(tmp_path: Path, store: Store) -> None:
    from review import service

    text = EFETCH_2025[: EFETCH_2025.index('<Abstract><AbstractText Label="CLINICAL')]
    report = import_file(store, _write(tmp_path, text))
    assert (report.format, report.entries, report.imported) == ("pubmed-xml", 3, 2)
    assert [(q.line, q.reason.split(" (")[0]) for q in report.quarantined] == [
        (6, "the XML is malformed")
    ]
    records = [service.get_record(store, r.id) for r in service.list_records(store)]
    assert [(r["pmid"], r["source_key"]) for r in records] == [
        ("31978945", "31978945"),
        ("10065955", "10065955"),
    ]
    assert "*Pneumonia, Viral" in records[0]["keywords"]


def test_efetch_batches_appended_to_one_file(tmp_path: Path) -> None:
    # Fetching a large search in batches (EDirect, rentrez, reutils) and appending them to one
    # file repeats the declaration, the DOCTYPE and the root for every batch.
    second = HEAD_2025 + BOOK + "</PubmedArticleSet>"
    text = HEAD_2025 + ARTICLE + "</PubmedArticleSet>\n" + second + second + "\n"
    good, bad = read_all(READER, _write(tmp_path, text))
    assert not bad
    assert [(g["line"], g["pmid"]) for g in good] == [
        (4, "31978945"),
        (9, "20301295"),
        (13, "20301295"),  # the third document starts on line 10, where the second ends
    ]


def test_error_in_a_later_batch_gives_the_files_line(tmp_path: Path) -> None:
    second = HEAD_2025 + BOOK.replace("<Language>", "<Language>x</Langauge>")
    text = HEAD_2025 + ARTICLE + "</PubmedArticleSet>\n" + second + "</PubmedArticleSet>\n"
    good, bad = read_all(READER, _write(tmp_path, text))
    assert [g["pmid"] for g in good] == ["31978945"]
    (rest,) = bad  # the second document, whole
    assert rest.line == 6 and "mismatched tag: line 9" in rest.reason
    assert rest.raw.startswith('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet')


def test_declaration_inside_a_document_is_malformed(tmp_path: Path) -> None:
    text = EFETCH_2025.replace(OLD_ARTICLE, '<?xml version="1.0" ?>\n' + OLD_ARTICLE)
    good, bad = read_all(READER, _write(tmp_path, text))
    assert [g["pmid"] for g in good] == ["31978945"]
    (rest,) = bad
    assert rest.line == 5 and "10065955" in rest.raw and "20301295" in rest.raw


def test_forced_format_names_the_format_the_content_looks_like(
    tmp_path: Path, store: Store
) -> None:
    path = _write(tmp_path, EFETCH_2025)
    with pytest.raises(ImportFormatError) as e:
        import_file(store, path, fmt="xml")  # the alias of endnote-xml
    assert "no <record> elements" in str(e.value)
    assert e.value.hint == (
        "its content looks like pubmed-xml: try --format pubmed-xml or leave --format out"
    )
    endnote = shared_file("formats/endnote_xml/jabref/EndnoteXmlImporterTestArticle.xml")
    with pytest.raises(ImportFormatError, match="no <PubmedArticle>") as e:
        import_file(store, endnote, fmt="pubmed-xml")
    assert "try --format endnote-xml" in str(e.value.hint)


def _efetch(n: int, indented: bool) -> tuple[str, list[tuple[int, int]]]:
    """An efetch file of n articles and where each article's text starts and ends."""
    articles = [
        ARTICLE.replace("31978945", str(1000 + i)).replace("A novel", f"Novel &amp; {i}")
        for i in range(n)
    ]
    if indented:
        articles = [a.replace("><", ">\n    <") for a in articles]
    text, spans = HEAD_2025, []
    for a in articles:
        spans.append((len(text), len(text) + len(a.rstrip("\n"))))
        text += a
    return text + "</PubmedArticleSet>\n", spans


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 4), indented=st.booleans(), cut=st.floats(0, 1))
def test_any_cut_keeps_whole_records_and_the_rest_verbatim(
    n: int, indented: bool, cut: float
) -> None:
    text, spans = _efetch(n, indented)
    at = int(len(text) * cut)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cut.xml"
        path.write_text(text[:at], encoding="utf-8")
        whole = [i for i, (_, end) in enumerate(spans) if end <= at]
        if not whole:
            with pytest.raises(ImportFormatError, match=r"cut\.xml"):
                read_all(READER, path)
            return
        good, bad = read_all(READER, path)
    assert [g["pmid"] for g in good] == [str(1000 + i) for i in whole]
    assert [g["raw"] for g in good] == [text[s:e] for s, e in spans[: len(whole)]]
    rest = text[spans[len(whole) - 1][1] : at]
    if "<PubmedArticle" in rest:
        (broken,) = bad
        assert broken.raw == rest.strip()
    else:
        assert not bad


def test_whole_book_takes_the_books_authors_or_its_editors(tmp_path: Path) -> None:
    book = BOOK.replace('<ArticleTitle book="gene" part="hd">Huntington Disease</ArticleTitle>', "")
    book = (
        book[: book.index('<AuthorList Type="authors"><Author><LastName>Caron')]
        + book[book.index("<Abstract>") :]
    )
    (rec,), _ = read_all(READER, _write(tmp_path, HEAD_2025 + book + "</PubmedArticleSet>\n"))
    assert (rec["type"], rec["title"], rec["journal"]) == ("BOOK", "GeneReviews®", "")
    assert rec["authors"] == ["Book, Whole"]
    no_authors = book.replace(
        '<AuthorList Type="authors"><Author><LastName>Book</LastName><ForeName>Whole</ForeName>'
        "</Author></AuthorList>",
        "",
    )
    (rec,), _ = read_all(READER, _write(tmp_path, HEAD_2025 + no_authors + "</PubmedArticleSet>\n"))
    assert rec["authors"] == ["Adam, Margaret P"]


def test_the_quarantined_rest_once_fixed_reads_whole(tmp_path: Path) -> None:
    # What `litsift quarantine show` gives for a broken record: the records from it to the
    # end of the file, without the file's header. Fixed, every record in it is read.
    broken = EFETCH_2025.replace("<Volume>12</Volume>", "<Volume>12</Volme>")
    _, (rest,) = read_all(READER, _write(tmp_path, broken))
    fixed = rest.raw.replace("</Volme>", "</Volume>")
    good, bad = read_all(READER, _write(tmp_path, fixed, "fix.xml"))
    assert not bad
    assert [(g["line"], g["pmid"]) for g in good] == [(1, "10065955"), (2, "20301295")]
    one_line = fixed.replace("\n", "")
    good, bad = read_all(READER, _write(tmp_path, one_line, "fix.xml"))
    assert not bad and [g["pmid"] for g in good] == ["10065955", "20301295"]


def test_documents_one_after_the_other_without_declarations(tmp_path: Path) -> None:
    body = "<PubmedArticleSet>\n" + ARTICLE + "</PubmedArticleSet>"
    for text in (body + "\n" + body + "\n", body + body + "\n", body + "  junk\n"):
        good, bad = read_all(READER, _write(tmp_path, text))
        assert [g["pmid"] for g in good] == ["31978945"] * text.count("<PubmedArticle>")
        assert not bad
