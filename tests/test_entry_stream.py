"""Large files are read by two processes; the result must equal reading in one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from review.entry_stream import (
    PreparedRecord,
    json_list,
    lines_before,
    prepared_entries,
    split_point,
)
from review.readers.base import RejectedEntry
from review.readers.ris import RisReader
from review.readers.source import open_source

GOOD = "TY  - JOUR\nID  - r{n}\nTI  - Record {n}\r\nAU  - Doe, J\nKW  - a\nb\nER  - \n\n"


def _summary(items: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        ("ok", e.values) if isinstance(e, PreparedRecord) else ("bad", e.line, e.reason, e.raw)
        for e in items
    ]


@pytest.mark.parametrize("eol", ["\r\n", "\n", "\r"])
def test_two_processes_give_the_same_entries_as_one(tmp_path: Path, eol: str) -> None:
    parts = [GOOD.replace("\r\n", eol).format(n=i) for i in range(400)]
    parts[100] = "Record #100 of 400\n" + parts[100]  # junk between records
    parts[300] = "TY  - JOUR\nTI  - never ended\n\n"  # broken record in the second half
    p = tmp_path / "big.ris"
    p.write_text("".join(parts), newline="")
    source = open_source(p)
    assert split_point(source, RisReader.split_marker) is not None
    one = list(prepared_entries(RisReader(), open_source(p), parallel=False))
    two_source = open_source(p)
    two = list(prepared_entries(RisReader(), two_source, parallel=True))
    assert _summary(two) == _summary(one)
    assert len(two) == 400
    assert [e.line for e in two if isinstance(e, RejectedEntry)] == [one[300].line]
    assert any("outside any RIS record" in w for w in two_source.warnings)


def test_an_error_in_a_reader_process_reaches_the_caller(tmp_path: Path) -> None:
    p = tmp_path / "bad.ris"
    p.write_bytes(("".join(GOOD.format(n=i) for i in range(300))).encode() + b"TI  - caf\xe9\n")
    source = open_source(p, encoding="utf-8")
    with pytest.raises(UnicodeDecodeError):
        list(prepared_entries(RisReader(), source, parallel=True))


def test_reader_processes_start_without_the_database_libraries() -> None:
    # A reader process loads these modules; SQLAlchemy and SQLModel took a quarter of a
    # second to import in each, on the import's critical path.
    code = (
        "import sys, review.entry_stream, review.readers.registry; "
        "print(','.join(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


@given(st.lists(st.text()))
@example(["Müller, J", 'quote " and \\ backslash', "tab\there", "東京", "\u2028", ""])
def test_json_list_is_json_dumps(items: list[str]) -> None:
    assert json_list(items) == json.dumps(items, ensure_ascii=False)


@pytest.mark.parametrize("text", [b"a\nb\r\nc\rd\n", b"\r\n" * 3, b"x\r", b"", b"no end"])
def test_lines_before_counts_every_kind_of_line_end(tmp_path: Path, text: bytes) -> None:
    p = tmp_path / "f.txt"
    p.write_bytes(b"y" * ((1 << 20) - 1) + b"\r" + text)  # a CRLF may span two chunks
    for end in range(1 << 20, (1 << 20) + len(text) + 1):
        head = p.read_bytes()[:end].decode()
        assert lines_before(p, end) == len(head.splitlines()) - (not head.endswith(("\n", "\r")))


def test_reader_processes_do_not_rerun_the_calling_script(tmp_path: Path) -> None:
    # A spawned child imports the parent's __main__ script; for the `litsift` console script
    # that is the whole CLI. The readers are started with the script hidden.
    big = tmp_path / "big.ris"
    big.write_text("".join(GOOD.format(n=i) for i in range(400)))
    log = tmp_path / "imports.log"
    script = tmp_path / "caller.py"
    script.write_text(
        "import sys\n"
        f"open({str(log)!r}, 'a').write('imported\\n')\n"
        "from review.entry_stream import prepared_entries\n"
        "from review.readers.ris import RisReader\n"
        "from review.readers.source import open_source\n"
        "if __name__ == '__main__':\n"
        f"    n = len(list(prepared_entries(RisReader(), open_source({str(big)!r}),"
        " parallel=True)))\n"
        "    print(n, hasattr(sys.modules['__main__'], '__file__'))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["400", "True"]  # all read, __file__ put back
    assert log.read_text().count("imported") == 1  # by the caller only
