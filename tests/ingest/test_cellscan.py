"""The byte-level pre-check of xlsx sheets: it may skip the full XML scan only when the
full scan would find nothing to flag and no breach of the caps."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ingest import cellscan

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
ROWS_CAP, COLS_CAP = 200_000, 256


def sheet_xml(cells: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main"><dimension ref="A1:F3"/><sheetData>' + cells + "</sheetData></worksheet>"
    ).encode()


PLAIN = '<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><v>17600</v></c></row>'


def plain(xml: bytes) -> bool:
    return cellscan._is_plain_sheet(xml, cellscan.SheetScan("s"), ROWS_CAP, COLS_CAP)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (PLAIN, True),
        (PLAIN + '<row r="2"><c r="A2"><f>SUM(B1:B1)</f><v>1</v></c></row>', False),
        (PLAIN + '<row r="2"><c r="A2"><f t="shared" si="0"/></c></row>', False),
        (PLAIN + '<row r="2"><c r="A2" t="e"><v>#REF!</v></c></row>', False),
        (PLAIN + "<row r='2'><c r='A2' t='e'><v>#N/A</v></c></row>", False),
        (PLAIN + '<row r="2"><c s="1"><v>5</v></c></row>', False),  # position implicit
        (PLAIN + '<row><c r="A2"><v>5</v></c></row>', False),
        (PLAIN + '<row r="2"><c\n r="A2"><v>5</v></c></row>', False),  # legal, but beyond the byte search
        (PLAIN + "<row r='2'><c r='A2'><v>5</v></c></row>", False),
        (PLAIN + '<row r="199999"><c r="A199999"><v>5</v></c></row>', True),
        (PLAIN + '<row r="200001"><c r="A200001"><v>5</v></c></row>', False),
        (PLAIN + '<row r="2"><c r="IV2"><v>5</v></c></row>', True),  # column 256
        (PLAIN + '<row r="2"><c r="IW2"><v>5</v></c></row>', False),  # column 257
        (PLAIN + '<row r="2"><c r="XFD1048576"><v>5</v></c></row>', False),
    ],
)
def test_pre_check(cells: str, expected: bool) -> None:
    assert plain(sheet_xml(cells)) is expected


def test_a_prefixed_main_namespace_goes_to_the_full_scan() -> None:
    """With the main namespace bound to a prefix, `<x:f>` is a formula the byte search cannot see."""
    xml = sheet_xml(PLAIN).replace(
        b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    )
    assert not plain(xml)
    excel_extras = b' xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
    assert plain(sheet_xml(PLAIN).replace(b"<worksheet ", b"<worksheet" + excel_extras + b" "))


@pytest.mark.parametrize("name", sorted(p.name for p in FILES.glob("*.xls[xm]") if zipfile.is_zipfile(p)))
def test_same_flags_as_the_full_scan(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every corpus workbook: the scan with the pre-check flags exactly what the full scan flags."""
    path = str(FILES / name)
    try:
        fast = cellscan.scan_xlsx(path, 50, COLS_CAP)
    except cellscan.ScanError:
        pytest.skip("not a readable workbook (judged elsewhere)")
    monkeypatch.setattr(cellscan, "_is_plain_sheet", lambda *args: False)
    full = cellscan.scan_xlsx(path, 50, COLS_CAP)
    assert {n: s.flags for n, s in fast.items()} == {n: s.flags for n, s in full.items()}
    over = {n for n, s in fast.items() if s.max_row >= 50 or s.max_col >= COLS_CAP}
    assert over == {n for n, s in full.items() if s.max_row >= 50 or s.max_col >= COLS_CAP}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("long_basic.xlsx", True),
        ("template_nnptnt.xlsx", True),
        ("formulas_cached.xlsx", False),
        ("far_cell.xlsx", False),
    ],
)
def test_ordinary_workbooks_skip_the_full_scan(name: str, expected: bool) -> None:
    with zipfile.ZipFile(FILES / name) as archive:
        assert plain(archive.read("xl/worksheets/sheet1.xml")) is expected
