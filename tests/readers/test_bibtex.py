"""BibTeX reader: the files in ../shared/formats/bibtex, broken entries, encodings, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.readers.base import ParsedEntry, RejectedEntry
from review.readers.bibtex import BibtexReader, evaluate
from review.readers.latex import decode_latex
from review.readers.source import open_source
from tests.conftest import shared_file
from tests.readers.util import manifest_params, read_all, read_shared, read_text

READER = BibtexReader()


def _entries(path: Path) -> list[ParsedEntry | RejectedEntry]:
    return list(READER.read(open_source(path)))


@pytest.mark.parametrize(("rel", "count"), manifest_params("bibtex"))
def test_every_shared_bibtex_file_adds_up(rel: str, count: int) -> None:
    good, bad = read_shared(READER, rel)
    assert len(good) + len(bad) == count
    # every shared file is recoverable: missing trailing commas are valid BibTeX, and EBSCO's
    # unbalanced Keywords value is read line by line
    assert bad == []
    assert all(g["raw"].lstrip().startswith("@") for g in good)


def test_zotero_export_fields() -> None:
    good, _ = read_all(READER, shared_file("formats/bibtex/asysd/zotero_export.bib"))
    first = good[0]
    assert first["line"] == 2  # the file starts with a blank line
    assert first["source_key"] == "larsen_microangiography_1999"
    assert first["title"] == (
        "Microangiography of the humeral condyle in Cocker Spaniel and non-Cocker Spaniel dogs"
    )
    assert first["authors"] == ["Larsen, LJ", "Roush, JK", "McLaughlin, RM", "Cash, WC"]
    assert first["year"] == 1999
    assert first["journal"] == "VETERINARY AND COMPARATIVE ORTHOPAEDICS AND TRAUMATOLOGY"
    assert first["pages"] == "134-137"  # 134--137
    assert first["issn"] == "0932-0814"
    assert first["abstract"].startswith("The purpose of this study was to evaluate the blood")
    assert first["keywords"][:3] == ["blood supply", "Cocker Spaniels", "FRACTURES"]
    assert first["type"] == "JOUR"
    assert good[1]["doi"] == "10.21521/mw.6330"
    assert good[1]["language"] == "Polish"


def test_scopus_export_keeps_all_entries_despite_nbsp_and_repeated_fields() -> None:
    path = shared_file("formats/bibtex/synthesisr/Scopus_bib_example.bib")
    entries = _entries(path)
    assert [e.source_key for e in entries if isinstance(e, ParsedEntry)] == [
        "Li2020",
        "Cao2020",
        "Tang2020",
    ]
    assert any("funding_details" in w for w in entries[0].warnings)  # type: ignore[union-attr]
    good, _ = read_all(READER, path)
    tang = good[2]
    assert tang["line"] == 53
    assert tang["authors"] == ["Tang, H.", "Geng, G.", "zhou, M."]
    assert tang["doi"] == "10.1007/s11220-019-0265-8"
    assert tang["journal"] == "Sensing and Imaging"
    assert tang["year"] == 2020
    assert tang["abstract"].startswith("Cultural relic is the carrier of human historic culture")
    # author_keywords and the index keywords are both kept
    assert "Criminisi algorithm" in tang["keywords"] and "MATLAB" in tang["keywords"]
    assert good[0]["authors"][:2] == ["Li, W.", "Dou, Z."]


def test_article_numbers_stand_for_the_pages(tmp_path: Path) -> None:
    # Scopus writes art_number, WoS Article-Number, biblatex eid, ACM articleno, for
    # articles that have no page numbers (as their CSV exports do in "Art. No." / AR).
    good, _ = read_shared(READER, "bibtex/synthesisr/Scopus_bib_example.bib")
    assert [g["pages"] for g in good] == ["1722034", "1749010", "6"]
    path = tmp_path / "numbers.bib"
    path.write_text(
        "@article{a, title = {A}, Article-Number = {e0209483}}\n"
        "@article{b, title = {B}, eid = {045001}}\n"
        "@article{c, title = {C}, articleno = {12}, numpages = {20}}\n"
        "@article{d, title = {D}, pages = {45--67}, art_number = {99}}\n",
        encoding="utf-8",
    )
    good, _ = read_all(READER, path)
    assert [g["pages"] for g in good] == ["e0209483", "045001", "12", "45-67"]


def test_scopus_pubmed_id_field(tmp_path: Path) -> None:
    text = (
        "@ARTICLE{Li2020, title={A}, pubmed_id={32209106}, source={Scopus}}\n"
        "@article{w, title = {B}, PubMed-ID = {31234567}}\n"
    )
    good = read_text(READER, tmp_path / "scopus.bib", text)
    assert [g["pmid"] for g in good] == ["32209106", "31234567"]


def test_web_of_science_export() -> None:
    good, _ = read_all(READER, shared_file("formats/bibtex/colrev/web_of_science_bib.bib"))
    proc, art = good
    assert proc["source_key"] == "WOS:000223334444221"  # "{ WOS:..." has a leading space
    assert proc["line"] == 3
    assert proc["type"] == "CPAPER"
    assert proc["journal"] == "A BOOKTITLE"
    assert proc["doi"] == "10.1007/999-9-999-99999-9_3"  # "\_" unescaped
    assert proc["authors"] == ["Writerone, Julia", "Writertwo, Paul"]
    assert art["title"] == "A dummy title's"
    assert art["journal"] == "Dummy Journal for nice writing"
    assert (art["volume"], art["issue"], art["pages"]) == ("22", "3", "111-188")
    assert art["doi"] == "10.1111/artjul.2021.0011"
    assert art["year"] == 2022


def test_ebsco_junk_in_keywords_neither_adds_nor_loses_an_entry() -> None:
    path = shared_file("formats/bibtex/colrev/ebsco_bib.bib")
    entries = _entries(path)
    assert len(entries) == 2 and all(isinstance(e, ParsedEntry) for e in entries)
    assert entries[0].warnings == []
    assert any("braces" in w for w in entries[1].warnings)
    good, _ = read_all(READER, path)
    first, second = good
    assert first["authors"] == ["Smith, Tom", "Steward, Hugo"]
    assert first["journal"] == "MIS Quarterly"
    assert first["pages"] == "1-10"
    assert first["year"] == 2000
    assert first["abstract"] == "Abstract text"
    assert second["line"] == 15
    assert second["source_key"] == "13362467620181001"
    assert second["title"] == "When sharing fixes prices."
    assert second["authors"] == ["Cruise, Tom"]
    assert second["journal"] == "Journal of Technology"
    assert second["keywords"][:3] == ["Price fixing", "Sharing economy", "Antitrust law"]
    assert second["raw"].startswith("@article{13362467620181001,")
    assert second["raw"].rstrip().endswith("}")


def test_jabref_library_latex_and_others() -> None:
    good, _ = read_all(READER, shared_file("formats/bibtex/jabref/testjabref.bib"))
    assert len(good) == 156
    by_key = {g["source_key"]: g for g in good}
    liu = next(g for g in good if "Rocklöv, Joacim" in g["authors"])  # Rockl{\"o}v
    assert liu["authors"][0] == "Liu, Ying"
    xu = by_key["Xu2020"]
    assert "others" not in xu["authors"] and xu["authors"][-1] == "Zhu, Li"
    assert by_key["Xu2020a"]["line"] == 1938
    assert any("Stäckel" in g["title"] for g in good)  # St\"ackel
    aziz = good[0]
    assert aziz["title"].startswith("256-Channel Neural Recording and Delta Compression")
    assert aziz["doi"] == "10.1109/jssc.2008.2010997"
    assert aziz["year"] == 2009


def test_bibtexparser_fixtures() -> None:
    (traps,), _ = read_all(READER, shared_file("formats/bibtex/bibtexparser/traps.bib"))
    assert traps["title"] == "An amazing title"  # {An} amazing {title}
    assert traps["authors"] == ["Jean Laidé, Ben Loaeb"]  # one name with a comma, per BibTeX
    assert traps["volume"] == "n.s. 2"
    assert "french érudit word" in traps["abstract"]
    (strings,), _ = read_all(
        READER, shared_file("formats/bibtex/bibtexparser/article_with_strings.bib")
    )
    assert strings["authors"] == ["César, Jean"]  # jean # " " # cesar
    assert strings["journal"] == "Nice Journal"  # nice_journal macro
    assert strings["line"] == 5
    (bom,), _ = read_all(
        READER, shared_file("formats/bibtex/bibtexparser/article_start_with_bom.bib")
    )
    assert bom["line"] == 2 and bom["authors"] == ["César, Jean"]
    coma, bad = read_all(
        READER, shared_file("formats/bibtex/bibtexparser/article_missing_coma.bib")
    )
    assert [g["source_key"] for g in coma] == [
        "Cesar2013",
        "Baltazar2013",
        "Aimar2013",
        "Doute2013",
    ]
    assert all(g["year"] == 2013 for g in coma) and not bad


def test_legacy_encodings_from_shared_files() -> None:
    path = shared_file("formats/bibtex/bibtexparser/gbk_test.bib")
    assert open_source(path).encoding in ("gb18030", "gbk", "gb2312")
    (gbk,), _ = read_all(READER, path)
    assert gbk["authors"] == ["凯撒"]
    assert gbk["journal"] == "测试期刊"
    assert gbk["source_key"] == "凯撒2013"
    path = shared_file("formats/bibtex/jabref/encoding-windows-1252-with-header.bib")
    (cp,), _ = read_all(READER, path)
    assert cp["abstract"] == "25° C"
    assert cp["source_key"] == ""  # @Article{, ...} has an empty key


GOOD_AND_BAD = """% comment before the first entry
@article{good1,
  title = {First good},
  author = {Smith, John},
  year = {2020},
}

@article{bad,
  title = {Missing its closing brace,
  author = {Doe, Jane},
  year = {2021},

@book{good2,
  title = {Second {GOOD} book},
  year = 2019
}
"""


def test_unterminated_entry_between_two_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "broken.bib"
    path.write_text(GOOD_AND_BAD, encoding="utf-8")
    good, bad = read_all(READER, path)
    assert [(g["source_key"], g["line"], g["title"]) for g in good] == [
        ("good1", 2, "First good"),
        ("good2", 13, "Second GOOD book"),
    ]
    assert good[1]["type"] == "BOOK" and good[1]["year"] == 2019
    (rejected,) = bad
    assert rejected.line == 8
    assert "unterminated" in rejected.reason and "line 13" in rejected.reason
    assert rejected.raw == (
        "@article{bad,\n  title = {Missing its closing brace,\n  author = {Doe, Jane},\n"
        "  year = {2021},"
    )


def test_truncated_last_entry_is_rejected_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "truncated.bib"
    path.write_text("@misc{a, title={Whole}}\n\n@article{b,\n  title = {Cut off", encoding="utf-8")
    good, bad = read_all(READER, path)
    assert [g["title"] for g in good] == ["Whole"]
    assert bad[0].line == 3
    assert "end of the file" in bad[0].reason
    assert bad[0].raw == "@article{b,\n  title = {Cut off"


def test_junk_and_missing_key_comma(tmp_path: Path) -> None:
    path = tmp_path / "junk.bib"
    path.write_text(
        "@article{ok, title = {Fine}}\n"
        "some stray text with an e-mail me@example.org {and braces}\n"
        "@article{nocomma title = {x}}\n"
        '@comment{not an entry}\n@preamble{"\\newcommand{\\x}{y}"}\n',
        encoding="utf-8",
    )
    good, bad = read_all(READER, path)
    assert [g["title"] for g in good] == ["Fine"]
    assert [(b.line, b.raw) for b in bad] == [(3, "@article{nocomma title = {x}}")]
    assert "cannot be parsed" in bad[0].reason


def test_duplicate_keys_and_fields_are_imported_with_warnings(tmp_path: Path) -> None:
    path = tmp_path / "dups.bib"
    path.write_text(
        "@article{k, title={One}, Title={Again}, author={A, B}}\n@article{k, title={Two}}\n",
        encoding="utf-8",
    )
    entries = _entries(path)
    assert [e.fields["title"] for e in entries if isinstance(e, ParsedEntry)] == ["One", "Two"]
    assert entries[1].warnings and "earlier entry" in entries[1].warnings[0]  # type: ignore[union-attr]


def test_macros_months_and_concatenation(tmp_path: Path) -> None:
    path = tmp_path / "macros.bib"
    path.write_text(
        '@STRING{ JN = "Journal of " }\n@string(jnx = JN # {Things})\n'
        '@article{m, journal = jnx, month = jan, title = "A " # {{B}ig} # " one", year = 2001,\n'
        "  author = {M{\\\"u}ller, Hans and G{\\'o}mez, Ana and {World Health Organization}},\n"
        "  doi = {https://doi.org/10.1000/a\\_b}, keywords = {one; two, three},\n"
        "  abstract = {Rose by 50% in R&D -- see $x^2$ and \\textit{in vivo}}}\n",
        encoding="utf-8",
    )
    (g,), bad = read_all(READER, path)
    assert not bad
    assert g["journal"] == "Journal of Things"
    assert g["title"] == "A Big one"
    assert g["authors"] == ["Müller, Hans", "Gómez, Ana", "World Health Organization"]
    assert g["doi"] == "10.1000/a_b"
    assert g["keywords"] == ["one", "two, three"]
    assert g["abstract"] == "Rose by 50% in R&D – see $x^2$ and in vivo"
    assert evaluate("jan # { 1}", {"jan": "January"}) == "January 1"


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("Jean Laid{\\'e}", "Jean Laidé"),
        ('M{\\"u}ller and G\\"odel', "Müller and Gödel"),
        ("Fran\\c{c}ois \\v{C}apek {\\'{\\i}}", "François Čapek í"),
        ("{\\O}rsted \\o rsted {\\ss} \\L{}\\'od\\'z", "Ørsted ørsted ß Łódź"),
        ("p {\\textless} 0.05, x \\textgreater{} y", "p < 0.05, x > y"),
        ("50\\% of R\\&D, 12--23, ``q''", "50% of R&D, 12\u201323, \u201cq\u201d"),
        ("{An} amazing {TITLE}", "An amazing TITLE"),
        ("\\textit{in vivo} and $\\alpha$", "in vivo and $\\alpha$"),  # pylatexenc
        ("plain text", "plain text"),
    ],
)
def test_decode_latex(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.bib"
    path.write_bytes(
        "@article{c, author = {Müller, Zoë}, title = {Café société}}\n".encode("cp1252")
    )
    (g,), _ = read_all(READER, path)
    assert g["authors"] == ["Müller, Zoë"]
    assert g["title"] == "Café société"


def test_sniff() -> None:
    # sniff looks at the decoded head only; the source is not consulted
    assert READER.sniff("\ufeff% Encoding: UTF-8\n\n@Article{x,\n", None)  # type: ignore[arg-type]
    assert READER.sniff("\n  @misc( y,\n", None)  # type: ignore[arg-type]
    assert not READER.sniff("TY  - JOUR\nAU  - x\n", None)  # type: ignore[arg-type]
    assert not READER.sniff("%A Smith\n%T Title\n", None)  # type: ignore[arg-type]


_WORD = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçñöüøåœæłčšž", min_size=1, max_size=10)
    .map(str.capitalize)
    .filter(lambda w: w.lower() != "and")
)
_TITLE = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 .,:;!?()'/+=%&éüñçÅØ")
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip() and "--" not in s and "''" not in s)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=_TITLE, people=st.lists(st.tuples(_WORD, _WORD), min_size=1, max_size=4))
def test_round_trip_title_and_authors(
    tmp_path: Path, title: str, people: list[tuple[str, str]]
) -> None:
    """Titles and names written as plain BibTeX come back unchanged (names as "Surname, Given",
    whether written that way or as "Given Surname")."""
    surname_first = [f"{s}, {g}" for g, s in people[::2]]
    given_first = [f"{g} {s}" for g, s in people[1::2]]
    path = tmp_path / "round.bib"
    authors = " and ".join(surname_first + given_first)
    path.write_text(
        f"@article{{rt,\n  title = {{{title}}},\n  author = {{{authors}}},\n}}\n", "utf-8"
    )
    (entry,) = _entries(path)
    assert isinstance(entry, ParsedEntry)
    assert entry.fields["title"] == " ".join(title.split())
    assert entry.fields["authors"] == surname_first + [f"{s}, {g}" for g, s in people[1::2]]


_LATEX_TOKENS = st.sampled_from(
    [
        "word",
        " ",
        "Éa",
        "\\'e",
        '{\\"o}',
        '\\"{U}',
        "\\c{c}",
        "\\v s",
        "{\\o}",
        "\\aa{}",
        "{\\ss}",
        "\\%",
        "\\&",
        "{Braces}",
        "--",
        "~",
        "{\\textless}",
        "\\^{\\i}",
    ]
)


@settings(max_examples=80, deadline=None)
@given(tokens=st.lists(_LATEX_TOKENS, min_size=1, max_size=12))
def test_fast_latex_decoding_agrees_with_pylatexenc(tokens: list[str]) -> None:
    import unicodedata

    from review.readers.latex import fast_latex, latex_decoder

    text = "".join(tokens)
    fast = fast_latex(text)
    assert fast is not None
    slow = unicodedata.normalize("NFC", latex_decoder().latex_to_text(text))
    assert " ".join(fast.split()) == " ".join(slow.split())
