"""The XLSX reader: workbooks, other extensions, damaged and foreign zip files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from review.errors import ImportFormatError
from review.readers.base import ParsedEntry
from review.readers.source import open_source
from review.readers.tabular import TabularReader
from review.readers.xlsx import XlsxReader
from tests.readers.util import entries, read_all


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    sheet.append([])  # the header is the first non-empty row
    sheet.append(["Title", "Authors", "Publication Year", "DOI", "Abstract", "label_included"])
    sheet.append(
        ["Über Ärzte in 東京: eine Studie", "Müller, J; Øster, K", 2019, "NA", "Résumé", 1]
    )
    sheet.append([])
    sheet.append(["Second", "Doe, A", 2020.0, "https://doi.org/10.1000/XYZ", None, 0])
    for i in range(200):  # enough rows that half the file is not a whole archive
        sheet.append([f"Filler title {i}", "Roe, B", 2000 + i % 20, "", "text " * 20, 0])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx_bytes())
    source = open_source(path)
    assert source.is_zip
    assert XlsxReader().sniff(source.head(), source)
    assert not TabularReader().sniff(source.head(), source)
    found = entries(XlsxReader(), path)
    assert len(found) == 202
    first, second = found[0], found[1]
    assert isinstance(first, ParsedEntry) and isinstance(second, ParsedEntry)
    assert first.line == 3 and second.line == 5  # spreadsheet rows; the empty row is skipped
    assert first.fields["title"] == "Über Ärzte in 東京: eine Studie"
    assert first.fields["authors"] == ["Müller, J", "Øster, K"]
    assert first.fields["year"] == "2019"
    assert first.fields["label_included"] == "1"
    assert first.raw == "Über Ärzte in 東京: eine Studie\tMüller, J; Øster, K\t2019\tNA\tRésumé\t1"
    good, _ = read_all(XlsxReader(), path)
    assert good[0]["doi"] == ""  # "NA"
    assert good[1]["doi"] == "10.1000/xyz"
    assert good[1]["year"] == 2020  # written as 2020.0


def test_xlsx_with_another_extension(tmp_path: Path) -> None:
    path = tmp_path / "references.download"
    path.write_bytes(xlsx_bytes())
    assert len(entries(XlsxReader(), path)) == 202


def test_truncated_xlsx_is_refused_naming_the_file(tmp_path: Path) -> None:
    data = xlsx_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    source = open_source(path)
    assert XlsxReader().sniff(source.head(), source)  # claimed, so the error says why
    with pytest.raises(ImportFormatError) as err:
        list(XlsxReader().read(source))
    assert str(path) in str(err.value)
    assert "truncated" in str(err.value)
    assert err.value.__cause__ is not None


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "refs.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("refs.ris", "TY  - JOUR\nER  - \n")
    source = open_source(path)
    assert not XlsxReader().sniff(source.head(), source)
    with pytest.raises(ImportFormatError) as err:
        list(XlsxReader().read(source))
    assert str(path) in str(err.value)
    assert "xl/workbook.xml" in str(err.value)


def test_web_of_science_tab_delimited_saved_as_xlsx(tmp_path: Path) -> None:
    # WoS's tab-delimited export opened in Excel and saved as a workbook: its field-tag header
    # is read by WoS's columns (ID is Keywords Plus there, not the record's id).
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["PT", "AU", "AF", "TI", "SO", "ID", "PY", "VL", "BP", "EP", "DI", "UT"])
    row = ["J", "Hart, A", "Hart, Amelia", "A title", "J ADV NURS", "NURSES", 2019, 75, 512]
    book.active.append([*row, 524, "10.1111/jan.13901", "WOS:000458000000001"])
    path = tmp_path / "savedrecs.xlsx"
    book.save(path)
    source = open_source(path)
    (g,), bad = read_all(XlsxReader(), path)
    assert not bad
    assert (g["source_key"], g["journal"], g["pages"]) == (
        "WOS:000458000000001",
        "J ADV NURS",
        "512-524",
    )
    assert (g["authors"], g["doi"], g["keywords"]) == (
        ["Hart, Amelia"],
        "10.1111/jan.13901",
        ["NURSES"],
    )
    assert len(list(XlsxReader().read(source))) == 1
    assert not [w for w in source.warnings if "not mapped" in w]
