"""The search language: words, "phrases", #id and tag:NAME / tag:"two words" (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from review.search_terms import Term, parse_query
from tests.test_cli_contract import RIS
from tui.cli import app

# what a tag may hold (review.annotation.TAG), spaces included
tags = st.from_regex(r"[a-z0-9][a-z0-9 .:/+-]{0,20}", fullmatch=True).filter(
    lambda t: t.strip() == t and '"' not in t
)
words = st.from_regex(r'[^\s"#]{1,12}', fullmatch=True).filter(
    lambda w: not w.lower().startswith("tag:")
)


@given(
    st.lists(
        st.one_of(
            tags.map(lambda t: Term("tag", t)),
            words.map(lambda w: Term("text", w)),
            st.integers(1, 10**6).map(lambda n: Term("id", str(n))),
        ),
        max_size=6,
    )
)
def test_a_query_written_from_terms_parses_back_to_them(terms: list[Term]) -> None:
    def write(t: Term) -> str:
        if t.kind == "tag":
            return f'tag:"{t.value}"' if " " in t.value else f"tag:{t.value}"
        return f"#{t.value}" if t.kind == "id" else t.value

    assert parse_query(" ".join(write(t) for t in terms)) == terms


@given(st.text(max_size=40))
def test_any_text_parses_without_error_into_nonempty_terms(query: str) -> None:
    assert all(t.value.strip() for t in parse_query(query))


def test_phrases_and_an_unclosed_quote() -> None:
    assert parse_query('"social impact" bond tag:"mental health') == [
        Term("text", "social impact"),
        Term("text", "bond"),
        Term("tag", "mental health"),
    ]


def test_search_by_a_tag_with_a_space(tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "a.ris").write_text(RIS)
    db = str(tmp_path / "r.db")
    assert runner.invoke(app, ["import", str(tmp_path / "a.ris"), "--db", db]).exit_code == 0
    assert runner.invoke(app, ["tag", "3", "Mental  Health", "--db", db]).exit_code == 0
    r = runner.invoke(app, ["search", 'tag:"mental health"', "--db", db, "--json"])
    assert r.exit_code == 0, r.stderr
    assert [row["id"] for row in json.loads(r.stdout)["records"]] == [3]
