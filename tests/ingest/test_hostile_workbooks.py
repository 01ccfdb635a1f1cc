"""Hostile workbooks and texts, built here: each ends with a Vietnamese reason, quickly, and
the process that read it is still alive.

A tiny xlsx with a cell at XFD1048576 (reached through each way a sheet name can lead to a
part), an xls with a cell at row 65535, a 32,000-character cell of footer words, a header of
brackets, a csv with one enormous line. No test asserts speed: the timeouts only turn a
regression (a hang) into a failure.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

import pytest
import xlwt

from ingest import headers, readers, sandbox
from ingest.model import ERROR
from ingest.parse import parse_file

pytestmark = pytest.mark.timeout(120)

HEADER = ["Mã chỉ tiêu", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
REFUSED = {"sheet_too_large", "duplicate_sheet_names", "file_corrupt", "file_unreadable"}


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(far: bool) -> str:
    """A small valid table; with ``far``, one more cell at the last cell Excel allows."""
    cells = "".join(_inline(f"{col}1", title) for col, title in zip("ABCD", HEADER, strict=True))
    rows = f'<row r="1">{cells}</row><row r="2">' + _inline("A2", "sown_area") + _inline("B2", "Liên Hội")
    rows += _inline("C2", "2022") + '<c r="D2"><v>5</v></c></row>'
    if far:
        rows += '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


def build_xlsx(path: Path, sheets: list[str], rels: dict[str, str], parts: dict[str, str]) -> Path:
    """An xlsx written by hand: ``sheets`` are raw ``<sheet>`` elements, ``rels`` id -> target."""
    relations = "".join(f'<Relationship Id="{i}" Type="{SHEET_REL}" Target="{t}"/>' for i, t in rels.items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            "/></Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            + "".join(sheets)
            + "</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships">{relations}</Relationships>',
        )
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return path


FAR, NEAR = sheet_xml(far=True), sheet_xml(far=False)
TRICKS = {
    # the plain case: one sheet, one far cell
    "plain": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "worksheets/sheet1.xml"},
        {"xl/worksheets/sheet1.xml": FAR},
    ),
    # the relationship names the part in another letter case than the archive stores it
    "letter_case": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "worksheets/SHEET1.xml"},
        {"xl/worksheets/sheet1.xml": FAR},
    ),
    # a <sheet> with both id and r:id, leading to different parts
    "id_and_r_id": (
        ['<sheet name="A" sheetId="1" id="rId2" r:id="rId1"/>'],
        {"rId1": "worksheets/sheet1.xml", "rId2": "worksheets/sheet2.xml"},
        {"xl/worksheets/sheet1.xml": FAR, "xl/worksheets/sheet2.xml": NEAR},
    ),
    # the same, attributes the other way round
    "r_id_and_id": (
        ['<sheet name="A" sheetId="1" r:id="rId1" id="rId2"/>'],
        {"rId1": "worksheets/sheet1.xml", "rId2": "worksheets/sheet2.xml"},
        {"xl/worksheets/sheet1.xml": FAR, "xl/worksheets/sheet2.xml": NEAR},
    ),
    # two sheets with one name: the far one first
    "one_name_twice": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>', '<sheet name="A" sheetId="2" r:id="rId2"/>'],
        {"rId1": "worksheets/sheet1.xml", "rId2": "worksheets/sheet2.xml"},
        {"xl/worksheets/sheet1.xml": FAR, "xl/worksheets/sheet2.xml": NEAR},
    ),
    # one name in two letter cases
    "one_name_two_cases": (
        ['<sheet name="Số liệu" sheetId="1" r:id="rId1"/>', '<sheet name="SỐ LIỆU" sheetId="2" r:id="rId2"/>'],
        {"rId1": "worksheets/sheet1.xml", "rId2": "worksheets/sheet2.xml"},
        {"xl/worksheets/sheet1.xml": NEAR, "xl/worksheets/sheet2.xml": FAR},
    ),
    # an absolute target and a target that climbs out and back in
    "absolute_target": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "/xl/worksheets/sheet1.xml"},
        {"xl/worksheets/sheet1.xml": FAR},
    ),
    "dot_dot_target": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "../xl/worksheets/sheet1.xml"},
        {"xl/../xl/worksheets/sheet1.xml": FAR, "xl/worksheets/sheet1.xml": NEAR},
    ),
    # the far part is reachable by no name at all (only a reader that guesses would open it)
    "unnamed_part": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "worksheets/sheet1.xml"},
        {"xl/worksheets/sheet1.xml": NEAR, "xl/worksheets/sheet9.xml": FAR},
    ),
    # a sheet written in UTF-16, which a byte search for ASCII tags cannot read
    "utf16_sheet": (
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "worksheets/sheet1.xml"},
        {"xl/worksheets/sheet1.xml": FAR.replace('encoding="UTF-8"', 'encoding="UTF-16"')},
    ),
}


def assert_refused(result, rules: set[str] = REFUSED) -> None:
    assert result.rows == []
    errors = [p for p in result.problems if p.severity == ERROR]
    assert errors, result.problems
    assert {p.rule for p in errors} <= rules | {"no_data"}, [(p.rule, p.message_en) for p in errors]
    for problem in errors:
        assert problem.message_vi.strip() and any(ch in problem.message_vi for ch in "ệếảờ"), problem.message_vi


@pytest.mark.parametrize("trick", sorted(TRICKS))
def test_a_far_cell_behind_each_sheet_trick_is_refused(tmp_path: Path, trick: str) -> None:
    sheets, rels, parts = TRICKS[trick]
    if trick == "utf16_sheet":
        parts = {k: v.encode("utf-16") for k, v in parts.items()}  # type: ignore[misc]
    path = build_xlsx(tmp_path / f"{trick}.xlsx", sheets, rels, parts)
    assert path.stat().st_size < 3000  # tiny on disk, 17 billion cells if read naively

    assert_refused(parse_file(path, "nnptnt"))


def test_the_same_workbooks_without_the_far_cell_still_load(tmp_path: Path) -> None:
    sheets, rels, _ = TRICKS["plain"]
    path = build_xlsx(tmp_path / "near.xlsx", sheets, rels, {"xl/worksheets/sheet1.xml": NEAR})
    result = parse_file(path, "nnptnt")
    assert [(r.indicator_code, r.value) for r in result.rows] == [("sown_area", 5)], result.problems


def test_duplicate_sheet_names_are_refused_in_plain_words(tmp_path: Path) -> None:
    sheets, rels, parts = TRICKS["one_name_twice"]
    result = parse_file(build_xlsx(tmp_path / "twice.xlsx", sheets, rels, parts), "nnptnt")
    assert [p.rule for p in result.problems] == ["duplicate_sheet_names"]
    assert "trùng tên" in result.problems[0].message_vi


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_without_the_pre_check_the_reading_child_dies_and_the_file_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The last line of defence: the reader itself runs out of its memory in the child."""
    if fmt == "xlsx":
        sheets, rels, parts = TRICKS["plain"]
        path = build_xlsx(tmp_path / "far.xlsx", sheets, rels, parts)
    else:
        path = xls_with(tmp_path / "far.xls", [(0, 0, "Mã chỉ tiêu"), (65535, 255, "x")])
    monkeypatch.setattr(readers, "_pre_scan", lambda *args: ({}, []))
    monkeypatch.setenv("INGEST_READ_MEMORY_MB", "256")
    monkeypatch.setenv("INGEST_READ_TIMEOUT_SECONDS", "60")

    result = parse_file(path, "nnptnt")

    assert [p.rule for p in result.problems] == ["file_unreadable"], result.problems
    message = result.problems[0].message_vi
    assert "hỏng hoặc quá lớn" in message and "Excel" in message and "chia thành nhiều tệp" in message
    assert os.getpid() > 0  # still here


def test_a_reading_that_runs_out_of_time_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(",".join(HEADER) + "\nsown_area,Liên Hội,2022,5\n", encoding="utf-8")

    def forever(*args: object) -> None:
        while True:
            pass

    monkeypatch.setattr(readers, "read", forever)
    monkeypatch.setenv("INGEST_READ_TIMEOUT_SECONDS", "2")
    result = parse_file(path, "nnptnt")
    assert [p.rule for p in result.problems] == ["file_unreadable"]
    assert "2 giây" in result.problems[0].message_vi


def test_the_sandbox_returns_results_and_reports_errors() -> None:
    assert sandbox.run(sum, [1, 2, 3]) == 6
    with pytest.raises(sandbox.ChildFailed) as failed:
        sandbox.run(int, "not a number")
    assert failed.value.reason == sandbox.ERROR and "ValueError" in failed.value.detail
    with pytest.raises(sandbox.ChildFailed) as killed:
        sandbox.run(os.abort)
    assert killed.value.reason == sandbox.CRASHED


# --- xls ---------------------------------------------------------------------------------


def xls_with(path: Path, cells: list[tuple[int, int, object]]) -> Path:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Số liệu")
    for row, col, value in cells:
        sheet.write(row, col, value)
    book.save(str(path))
    return path


def table_cells() -> list[tuple[int, int, object]]:
    cells = [(0, c, title) for c, title in enumerate(HEADER)]
    return [*cells, (1, 0, "sown_area"), (1, 1, "Liên Hội"), (1, 2, "2022"), (1, 3, 5)]


def test_an_xls_with_a_cell_at_row_65535_is_refused_before_the_reader(tmp_path: Path) -> None:
    path = xls_with(tmp_path / "xa.xls", [*table_cells(), (65535, 255, "x")])
    result = parse_file(path, "nnptnt")
    assert_refused(result, {"sheet_too_large"})
    assert "65.536 dòng × 256 cột" in result.problems[0].message_vi


def test_an_xls_whose_dimensions_record_lies_is_refused(tmp_path: Path) -> None:
    """A cell record moved to row 65535 and the declared extent widened: judged from the records."""
    path = xls_with(tmp_path / "dim.xls", table_cells())
    data = bytearray(path.read_bytes())
    found = data.find(struct.pack("<HH", 0x0200, 14))  # DIMENSIONS, BIFF8
    assert found > 0
    struct.pack_into("<IIHH", data, found + 4, 0, 65536, 0, 16384)
    path.write_bytes(bytes(data))
    assert_refused(parse_file(path, "nnptnt"), {"sheet_too_large"})


def test_an_ordinary_xls_still_loads(tmp_path: Path) -> None:
    result = parse_file(xls_with(tmp_path / "ok.xls", table_cells()), "nnptnt")
    assert [(r.indicator_code, r.value) for r in result.rows] == [("sown_area", 5)], result.problems


# --- text that patterns could choke on ---------------------------------------------------


def test_a_32000_character_cell_of_footer_words_is_judged_at_once(tmp_path: Path) -> None:
    """`ngày ... tháng ...` without `năm`, 32,000 characters: the old pattern took minutes."""
    cell = ("ngày tháng " * 3200)[:32000]
    assert not headers.is_footer([cell])
    assert headers.is_footer(["Văn Quan, ngày 5 tháng 6 năm 2022"])
    assert headers.is_footer(["Người lập biểu"])
    path = tmp_path / "chan-trang.csv"
    path.write_text(",".join(HEADER) + f"\n{cell},Liên Hội,2022,5\nsown_area,Liên Hội,2021,4\n", encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert result.has_errors
    assert any(p.rule == "unknown_indicator" and "mã chỉ tiêu" in p.message_vi for p in result.problems)


def test_a_header_row_of_brackets_is_judged_at_once(tmp_path: Path) -> None:
    cell = "(" * 32000
    assert headers.match(cell) is None
    assert headers.match("Giá trị (1.234,5)") == "value"
    assert headers.declared_style("Giá trị (1.234,5)") == "vi"
    path = tmp_path / "ngoac.csv"
    path.write_text(f"{cell},{'[' * 30000}\n" + ",".join(HEADER) + "\nsown_area,Liên Hội,2022,5\n", encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert [(r.indicator_code, r.value) for r in result.rows] == [("sown_area", 5)], result.problems


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("no-delimiter", "a" * 5_000_000),
        ("open-quote", '"' + "b" * 5_000_000),
        ("quotes-and-commas", '"x",' * 1_000_000),
        ("footer-words", "ngày tháng " * 500_000),
    ],
)
def test_a_csv_with_one_enormous_line_is_quarantined_with_a_reason(tmp_path: Path, name: str, line: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text(line + "\n" + ",".join(HEADER) + "\nsown_area,Liên Hội,2022,5\n", encoding="utf-8")
    assert_refused(
        parse_file(path, "nnptnt"), {"text_field_too_long", "sheet_too_large", "no_header", "missing_columns"}
    )


# --- ods ---------------------------------------------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(value: object) -> str:
    kind = 'office:value-type="string"'
    if isinstance(value, int):
        kind = f'office:value-type="float" office:value="{value}"'
    return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"


def ods_table(name: str, far: bool) -> str:
    rows = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in values) + "</table:table-row>"
        for values in (HEADER, ["sown_area", "Liên Hội", "2022", 5])
    )
    if far:  # empty rows repeated down to the last row, then one value in the last column
        rows += '<table:table-row table:number-rows-repeated="1048573"><table:table-cell/></table:table-row>'
        rows += '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>' + _ods_cell(1)
        rows += "</table:table-row>"
    return f'<table:table table:name="{name}">{rows}</table:table>'


def build_ods(path: Path, tables: list[str]) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml"'
            ' manifest:media-type="text/xml"/></manifest:manifest>',
        )
        archive.writestr("content.xml", content)
    return path


def test_an_ods_with_a_far_cell_is_refused_before_the_reader(tmp_path: Path) -> None:
    path = build_ods(tmp_path / "xa.ods", [ods_table("Số liệu", far=True)])
    assert path.stat().st_size < 3000
    assert_refused(parse_file(path, "nnptnt"), {"sheet_too_large"})


def test_an_ods_with_two_tables_of_one_name_is_refused(tmp_path: Path) -> None:
    path = build_ods(tmp_path / "trung.ods", [ods_table("A", far=False), ods_table("A", far=False)])
    assert [p.rule for p in parse_file(path, "nnptnt").problems] == ["duplicate_sheet_names"]


def test_an_ordinary_ods_still_loads(tmp_path: Path) -> None:
    result = parse_file(build_ods(tmp_path / "ok.ods", [ods_table("Số liệu", far=False)]), "nnptnt")
    assert [(r.indicator_code, r.value) for r in result.rows] == [("sown_area", 5)], result.problems
