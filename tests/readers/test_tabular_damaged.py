"""Damaged delimited text: ragged rows, broken quotes, missing title column, blank lines,
and a large file read as a stream."""

from __future__ import annotations

import csv
from pathlib import Path

from review.readers.base import ParsedEntry, RejectedEntry
from review.readers.source import open_source
from review.readers.tabular import TabularReader
from tests.readers.util import entries, write


def test_ragged_rows(tmp_path: Path) -> None:
    text = (
        "id,title,abstract,year\n"
        "1,Too many,abs,2020,extra\n"
        "2,Too few\n"
        ",,\n"
        "3\n"
        "4,Trailing empties,abs,2021,,\n"
        "5,Fine,abs,2022\n"
    )
    path = write(tmp_path / "ragged.csv", text)
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == [
        "ParsedEntry",
        "ParsedEntry",
        "RejectedEntry",
        "ParsedEntry",
        "ParsedEntry",
    ]
    many, few, rejected, trailing, fine = found
    assert isinstance(many, ParsedEntry) and "5 cells but the header has 4" in many.warnings[0]
    assert isinstance(few, ParsedEntry) and "2 cells" in few.warnings[0]
    assert few.fields["title"] == "Too few" and few.fields["abstract"] == ""
    assert isinstance(rejected, RejectedEntry) and "no title" in rejected.reason
    assert (rejected.line, rejected.raw) == (5, "3")
    assert isinstance(trailing, ParsedEntry) and not trailing.warnings
    assert isinstance(fine, ParsedEntry) and fine.line == 7 and not fine.warnings


def test_unterminated_quote_rejects_the_rest_verbatim(tmp_path: Path) -> None:
    lines = [
        "title,abstract,year",
        'First,"multi-line,\nabstract",2020',
        "Second,plain,2021",
        "",
        '"Broken title,abstract,2022',
        "Fourth,plain,2023",
        "Fifth,plain,2024",
    ]
    path = write(tmp_path / "broken.csv", "\n".join(lines) + "\n")
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == ["ParsedEntry", "ParsedEntry", "RejectedEntry"]
    first, second, rejected = found
    assert isinstance(first, ParsedEntry) and isinstance(second, ParsedEntry)
    assert isinstance(rejected, RejectedEntry)
    assert first.line == 2 and first.fields["abstract"] == "multi-line,\nabstract"
    assert second.line == 4 and second.fields["title"] == "Second"
    assert rejected.line == 6
    assert rejected.raw == "\n".join(lines[4:])
    assert "unterminated quote" in rejected.reason and "line 6" in rejected.reason


def test_stray_quote_rejects_only_its_row(tmp_path: Path) -> None:
    text = 'title,year\nGood,2020\n"Bad" title,2021\nAfter,2022\n'
    path = write(tmp_path / "stray.csv", text)
    found = entries(TabularReader(), path)
    assert [type(e).__name__ for e in found] == ["ParsedEntry", "RejectedEntry", "ParsedEntry"]
    assert found[1].line == 3 and found[1].raw == '"Bad" title,2021'
    assert isinstance(found[2], ParsedEntry) and found[2].fields["title"] == "After"


def test_header_without_title_column_warns_once(tmp_path: Path) -> None:
    source = open_source(write(tmp_path / "notitle.csv", "name,year\nA,2020\nB,2021\n"))
    found = list(TabularReader().read(source))
    assert len(found) == 2
    assert [w for w in source.warnings if "no title column" in w] == source.warnings[:1]
    assert "not mapped" in source.warnings[1] and source.warnings[1].endswith(": name")


def test_blank_lines_before_header_and_between_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.csv", "\n\ntitle;year\n\nA;2020\n  \nB;2021\n")
    found = entries(TabularReader(), path)
    assert [(e.line, e.raw) for e in found] == [(5, "A;2020"), (7, "B;2021")]


def test_large_file_is_streamed(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["record_id", "title", "abstract", "year"])
        for i in range(20000):
            out.writerow([i, f"Title {i}", f'An "abstract", over\ntwo lines {i}', 2000 + i % 20])
    source = open_source(path)
    tracemalloc.start()
    try:
        count = 0
        last = None
        for e in TabularReader().read(source):
            count += 1
            last = e
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20000
    assert isinstance(last, ParsedEntry) and last.line == 2 * 19999 + 2
    assert peak < path.stat().st_size / 4  # the file is never held whole
