"""CSL-JSON (Zotero's, Mendeley's and Better BibTeX's "CSL JSON" export, doi.org's citeproc
JSON) read by the JSON reader: names, dates, container titles and types as CSL writes them."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from review.readers.csl_json import flatten_csl
from review.readers.json_list import JsonListReader
from review.readers.registry import detect_reader
from review.readers.source import open_source
from tests.readers.util import read_all

CSL = [
    {
        "id": "http://zotero.org/users/1/items/ABCD1234",
        "type": "article-journal",
        "title": "Mindfulness training for nurses",
        "container-title": "Journal of Advanced Nursing",
        "page": "512-524",
        "volume": "75",
        "issue": "3",
        "abstract": "Nurses were randomised.",
        "DOI": "10.1111/jan.13901",
        "PMID": "30412345",
        "ISSN": "0309-2402",
        "URL": "https://onlinelibrary.wiley.com/doi/10.1111/jan.13901",
        "language": "en",
        "source": "PubMed",
        "keyword": "mindfulness, burnout",
        "author": [
            {"family": "Hart", "given": "Amelia"},
            {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
            {"literal": "World Health Organization"},
        ],
        "issued": {"date-parts": [[2019, 3, 1]]},
    },
    {
        "id": "k2",
        "type": "chapter",
        "title": "A chapter",
        "container-title": "A Book",
        "editor": [{"family": "Roe", "given": "B."}],
        "issued": {"date-parts": [["2020"]]},
        "ISBN": "978-3-16-148410-0",
    },
    {"id": "k3", "type": "paper-conference", "title": "A paper", "issued": {"raw": "Spring 2018"}},
]


def test_csl_json_export_maps_names_dates_containers_and_types(tmp_path: Path) -> None:
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(CSL, indent=2), encoding="utf-8")
    source = open_source(path)
    assert detect_reader(source).name == "json"
    good, bad = read_all(JsonListReader(), path)
    assert not bad
    first, second, third = good
    assert first["authors"] == ["Hart, Amelia", "van der Berg, Anna", "World Health Organization"]
    assert first["journal"] == "Journal of Advanced Nursing"  # not "PubMed", CSL's source
    assert first["year"] == 2019
    assert (first["volume"], first["issue"], first["pages"]) == ("75", "3", "512-524")
    assert (first["doi"], first["pmid"], first["issn"]) == (
        "10.1111/jan.13901",
        "30412345",
        "0309-2402",
    )
    assert first["keywords"] == ["mindfulness", "burnout"]
    assert first["type"] == "JOUR"
    assert first["source_key"] == "http://zotero.org/users/1/items/ABCD1234"
    assert (second["type"], second["journal"], second["year"]) == ("CHAP", "A Book", 2020)
    assert second["authors"] == ["Roe, B."]  # editors when there is no author
    assert (third["type"], third["year"]) == ("CPAPER", 2018)


names = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=12)


@settings(max_examples=80, deadline=None)
@given(family=names, given_=names, year=st.integers(1500, 2100))
def test_any_csl_name_and_date_read_as_written(family: str, given_: str, year: int) -> None:
    out = flatten_csl(
        {"author": [{"family": family, "given": given_}], "issued": {"date-parts": [[year]]}}
    )
    assert out["authors"] == [f"{family}, {given_}"]
    assert out["year"] == str(year)


def test_litsift_own_json_is_not_taken_for_csl() -> None:
    own = {"record_id": 1, "title": "T", "authors": ["Hart, A"], "year": 2019, "journal": "J"}
    assert flatten_csl(own) == own
