"""Issue 11, F4/F11/F12/F13: a bad byte, a NUL, a device, a FIFO, a UTF-16 file without BOM or
an odd file name is a warning, a quarantined entry or a clean refusal, never a crash or a hang."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review import annotation
from review.db import Store
from review.errors import ImportFormatError, InvalidInputError
from review.importing import import_file
from tests.conftest import shared_file

NBIB = "formats/medline_nbib/revtools/restoration_pubmed.nbib"  # 104 records, LF


def _insert_in_title(data: bytes, nth: int, bad: bytes, tag: bytes = b"TI") -> tuple[bytes, int]:
    """`data` with `bad` inserted into the `nth` title line (`tag`), and that line's number."""
    at, mark = -1, b"\n" + tag + b"  - "
    for _ in range(nth):
        at = data.index(mark, at + 1)
    at += len(mark) + 3
    return data[:at] + bad + data[at:], data[:at].count(b"\n") + 1


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_one_invalid_byte_in_utf8_is_a_warning_and_one_quarantined_entry(
    store: Store, tmp_path: Path, bom: bool
) -> None:
    data = shared_file("formats/ris/asreview/embase.ris").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    if not bom:
        data = data[len(codecs.BOM_UTF8) :]
    data, line = _insert_in_title(data, 3, b"\xff", b"T1")
    p = tmp_path / "bad.ris"
    p.write_bytes(data)
    report = import_file(store, p)
    assert (report.entries, report.imported, len(report.quarantined)) == (6, 5, 1)
    assert any(f"line {line}" in w and "0xFF" in w for w in report.warnings)
    assert "not valid" in report.quarantined[0].reason


def _nul_at(data: bytes, nth: int) -> bytes:
    return _insert_in_title(data, nth, b"\x00")[0]


@pytest.mark.parametrize("nth", [1, 2, 60, 104], ids=["first", "early", "middle", "last"])
def test_a_nul_byte_quarantines_its_entry_wherever_it_is(
    store: Store, tmp_path: Path, nth: int
) -> None:
    data = shared_file(NBIB).read_bytes()
    p = tmp_path / "nul.nbib"
    p.write_bytes(_nul_at(data, nth))
    report = import_file(store, p)
    assert (report.entries, report.imported, len(report.quarantined)) == (104, 103, 1)
    assert "NUL" in report.quarantined[0].reason


@pytest.mark.parametrize(
    "rel",
    [
        NBIB,
        "formats/ris/asreview/embase.ris",
        "formats/ris/asysd/ris_export.txt",
        "formats/bibtex/asysd/zotero_export.bib",
        "formats/tabular/asysd/zotero_export.csv",
        "formats/wos_plaintext/synthesisr/WoS_txt_example.txt",
        "formats/endnote_tagged/colrev/ais_enl.txt",
    ],
)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_reads_like_utf8(tmp_path: Path, rel: str, codec: str) -> None:
    from review.service import open_review

    original = shared_file(rel)
    text = original.read_bytes().decode("utf-8-sig")
    p = tmp_path / f"wide{original.suffix}"
    p.write_bytes(text.encode(codec))
    want = import_file(open_review(str(tmp_path / "a.db")), original)
    got = import_file(open_review(str(tmp_path / "b.db")), p)
    assert got.encoding == codec
    assert (got.format, got.entries, got.imported) == (want.format, want.entries, want.imported)


def _cli_import(path: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from tui.cli import app; sys.argv[0] = 'litsift'; app()"
    args = [sys.executable, "-c", code, "import", path, "--db", str(tmp_path / "r.db")]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(args, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_devices_and_fifos_are_refused_without_reading(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = str(tmp_path / "refs.ris")
        os.mkfifo(path)
    else:
        path = "/dev/zero"
    try:
        result = _cli_import(path, tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"import {kind} hung")
    assert result.returncode == 1
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_open_source_refuses_special_files_directly(tmp_path: Path) -> None:
    from review.readers.source import open_source

    with pytest.raises(ImportFormatError, match="not a regular file"):
        open_source("/dev/null")
    with pytest.raises(ImportFormatError, match="directory"):
        open_source(tmp_path)


def test_attach_keeps_quotes_in_file_names(store: Store, tmp_path: Path) -> None:
    import_file(store, shared_file("formats/ris/asreview/embase.ris"))
    quoted = tmp_path / "paper.pdf'"
    plain = tmp_path / "paper.pdf"
    quoted.write_bytes(b"%PDF-1.4 quoted")
    plain.write_bytes(b"%PDF-1.4 plain")
    a = annotation.attach(store, 1, str(quoted))
    assert a.value == str(quoted)
    # a path dropped into a terminal arrives quoted: without such a file, the quotes go
    b = annotation.attach(store, 2, f"'{plain}'")
    assert b.value == str(plain)


def test_attach_with_an_overlong_path_is_a_clean_error(store: Store) -> None:
    import_file(store, shared_file("formats/ris/asreview/embase.ris"))
    with pytest.raises(InvalidInputError, match=r"cannot be attached|no such file"):
        annotation.attach(store, 1, "/tmp/" + "x" * 5000 + ".pdf")
