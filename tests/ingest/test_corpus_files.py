"""Every committed corpus file parses to exactly these rows and problems."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.model import ParseResult
from ingest.parse import parse_file

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"


def rows(result: ParseResult) -> list[tuple[object, ...]]:
    return [
        (r.sheet_name, r.source_row, r.indicator_code, r.admin_unit_code, r.period_code, r.value, r.value_type, r.note)
        for r in result.rows
    ]


def problems(result: ParseResult) -> list[tuple[object, ...]]:
    return [(p.severity, p.rule, p.sheet_name, p.source_row, p.column_name, p.value_found) for p in result.problems]


def parse(name: str) -> ParseResult:
    return parse_file(FILES / name, "nnptnt")


BASIC = [
    ("Số liệu", 2, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("1234.5"), "estimate", "đã kiểm tra"),
    ("Số liệu", 3, "sown_area", "TT_VAN_QUAN", "2022-Q2", Decimal("17600"), "actual", None),
    ("Số liệu", 4, "star_anise_output", "TRANG_CAC", "2022-Q2", Decimal("8.5"), "actual", None),
    ("Số liệu", 5, "star_anise_output", "VAN_QUAN", "2022-05", Decimal("250"), "estimate", None),
]


@pytest.mark.parametrize("name", ["long_basic.xlsx", "long_basic.xlsm"])
def test_canonical_workbooks(name: str) -> None:
    result = parse(name)
    assert rows(result) == BASIC
    assert result.problems == []
    assert result.layout == "long"
    assert result.sheets_read == ["Số liệu"]


def test_row_carries_grain_and_dates() -> None:
    first, _, _, month = parse("long_basic.xlsx").rows
    assert (first.period_grain, first.period_start, first.period_end) == (
        "quarter",
        date(2022, 4, 1),
        date(2022, 6, 30),
    )
    assert (month.period_grain, month.period_start, month.period_end) == ("month", date(2022, 5, 1), date(2022, 5, 31))


def test_xls_with_title_rows_and_signature_block() -> None:
    result = parse("titles_footer.xls")
    assert rows(result) == [("Bao cao", row + 4, *rest) for (_, row, *rest) in BASIC]
    assert result.problems == []


def test_ods_reads_data_sheet_and_reports_the_empty_one() -> None:
    result = parse("two_sheets.ods")
    assert rows(result) == [
        ("Số liệu", 2, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("1234.5"), "estimate", "đã kiểm tra"),
        ("Số liệu", 3, "sown_area", "TT_VAN_QUAN", "2022-Q2", Decimal("17600"), "actual", None),
        ("Số liệu", 4, "sown_area", "HUU_LE", "2022-05", Decimal("12"), "actual", None),
    ]
    assert problems(result) == [("warning", "empty_sheet", "Trống", None, None, None)]


TEXT_ROWS = [
    (2, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("1234.5"), "estimate", None),
    (3, "sown_area", "DIEM_HE", "2022-Q2", Decimal("17600"), "actual", None),
    (4, "new_forest_area", "TU_XUYEN", "2022-05", Decimal("8.5"), "actual", "Rừng hồi"),
]


@pytest.mark.parametrize("name", ["utf8.csv", "utf8_bom.csv", "utf16_unicode_text.tsv", "cp1258.csv", "semicolon.csv"])
def test_text_encodings_and_vietnamese_numbers(name: str) -> None:
    result = parse(name)
    assert rows(result) == [(name, *row) for row in TEXT_ROWS]
    assert result.problems == []
    for row in result.rows:
        assert row.note is None or unicodedata.is_normalized("NFC", row.note)


def test_english_headers_international_numbers() -> None:
    result = parse("english_international.csv")
    assert rows(result) == [
        ("english_international.csv", 2, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("1234.5"), "estimate", None),
        ("english_international.csv", 3, "sown_area", "DIEM_HE", "2022-Q2", Decimal("17600"), "actual", None),
        ("english_international.csv", 4, "new_forest_area", "TU_XUYEN", "2022-05", Decimal("8.5"), "actual", None),
    ]
    assert result.problems == []


def test_ambiguous_column_is_an_error_naming_the_cell() -> None:
    result = parse("ambiguous.csv")
    assert rows(result) == [
        ("ambiguous.csv", 4, "sown_area", "AN_SON", "2022-Q2", Decimal("750"), "actual", None),
    ]
    assert problems(result) == [("error", "number_convention_ambiguous", "ambiguous.csv", 2, "Giá trị", "1.500")]
    message = result.problems[0].message_vi
    assert "ô D2" in message and "“1.500”" in message and "Giá trị (1.234,5)" in message


def test_declared_convention_resolves_the_ambiguity() -> None:
    result = parse("declared_convention.csv")
    assert [(r.admin_unit_code, r.value) for r in result.rows] == [
        ("LIEN_HOI", Decimal("1500")),
        ("DIEM_HE", Decimal("2000")),
        ("AN_SON", Decimal("750")),
    ]
    assert result.problems == []


def test_mixed_conventions_in_one_column() -> None:
    result = parse("mixed_conventions.csv")
    assert rows(result) == []
    assert problems(result) == [
        ("error", "number_convention_conflict", "mixed_conventions.csv", 2, "Giá trị", "8,5 | 8.5"),
    ]


def test_nfd_text_is_normalised_and_matched() -> None:
    result = parse("nfd_names.csv")
    assert rows(result) == [
        ("nfd_names.csv", 2, "sown_area", "DIEM_HE", "2022-05", Decimal("12"), "actual", None),
        ("nfd_names.csv", 3, "sown_area", "TT_VAN_QUAN", "2022-Q2", Decimal("3"), "estimate", "Ghi chú có dấu"),
        ("nfd_names.csv", 4, "sown_area", "HOA_BINH", "2022", Decimal("4"), "actual", None),
    ]
    assert result.rows[1].note == unicodedata.normalize("NFC", "Ghi chú có dấu")


def test_old_commune_names() -> None:
    result = parse("old_commune_names.csv")
    name = "old_commune_names.csv"
    assert rows(result) == [
        (name, 2, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("10"), "actual", None),
        (name, 3, "sown_area", "PHU_MY", "2019", Decimal("11"), "actual", None),
        (name, 4, "sown_area", "LIEN_HOI", "2022", Decimal("12"), "actual", None),
    ]
    assert problems(result) == [
        ("warning", "admin_unit_renamed", name, 2, "Đơn vị hành chính", "Phú Mỹ"),
        ("warning", "admin_unit_renamed", name, 4, "Đơn vị hành chính", "Xã Vân Mộng"),
        ("error", "admin_unit_dissolved", name, 5, "Đơn vị hành chính", "Vĩnh Lại"),
    ]
    assert "sáp nhập vào Liên Hội từ ngày 01/01/2020" in result.problems[0].message_vi


def test_bad_rows_each_named() -> None:
    result = parse("bad_rows.csv")
    name = "bad_rows.csv"
    assert rows(result) == [(name, 8, "sown_area", "AN_SON", "2022", Decimal("7"), "actual", None)]
    assert problems(result) == [
        ("error", "bad_period", name, 2, "Kỳ báo cáo", "Quý 5/2022"),
        ("error", "unknown_indicator", name, 3, "Mã chỉ tiêu", "không_có"),
        ("error", "unknown_admin_unit", name, 4, "Đơn vị hành chính", "Hà Nội"),
        ("error", "missing_value", name, 5, "Giá trị", ""),
        ("error", "not_a_number", name, 6, "Giá trị", "mười"),
        ("error", "bad_value_type", name, 6, "Loại số liệu", "tạm"),
        ("error", "excel_error", name, 7, "Giá trị", "#REF!"),
    ]
    assert result.problems[3].message_vi.startswith("Trang “bad_rows.csv”, dòng 5, cột “Giá trị” (ô D5)")


def test_title_rows_merged_header_and_footer() -> None:
    result = parse("merged_header_footer.xlsx")
    assert rows(result) == [
        ("Biểu 01", 9, "sown_area", "LIEN_HOI", "2022-Q2", Decimal("1234.5"), "estimate", None),
        ("Biểu 01", 10, "sown_area", "TAN_DOAN", "2022-Q2", Decimal("980"), "actual", "Vụ xuân"),
        ("Biểu 01", 12, "star_anise_output", "YEN_PHUC", "2022-Q2", Decimal("40.25"), "actual", None),
    ]
    assert result.problems == []


def test_formulas_read_as_cached_values() -> None:
    result = parse("formulas_cached.xlsx")
    assert [(r.admin_unit_code, r.value) for r in result.rows] == [
        ("LIEN_HOI", Decimal("100")),
        ("AN_SON", Decimal("250")),
        ("VAN_QUAN", Decimal("350")),
    ]
    assert result.problems == []


def test_formula_without_cached_value_names_the_cell() -> None:
    result = parse("formula_no_cache.xlsx")
    assert [(r.source_row, r.value) for r in result.rows] == [(2, Decimal("100")), (3, Decimal("250"))]
    assert problems(result) == [("error", "formula_without_value", "Số liệu", 4, "Giá trị", None)]
    assert "(ô D4)" in result.problems[0].message_vi
    assert result.problems[0].message_en.startswith("Số liệu!D4:")


def test_excel_error_values_name_the_cell() -> None:
    result = parse("excel_errors.xlsx")
    assert [(r.source_row, r.value) for r in result.rows] == [(2, Decimal("100"))]
    assert problems(result) == [
        ("error", "excel_error", "Số liệu", 3, "Giá trị", "#REF!"),
        ("error", "excel_error", "Số liệu", 4, "Giá trị", "#DIV/0!"),
    ]
    assert "(ô D3)" in result.problems[0].message_vi


def test_empty_sheet_beside_a_full_one() -> None:
    result = parse("empty_beside_full.xlsx")
    assert rows(result) == [
        ("Quý 2", 2, "tourist_visits", "VAN_QUAN", "2022-04", Decimal("1200"), "actual", None),
        ("Quý 2", 3, "tourist_visits", "VAN_QUAN", "2022-05", Decimal("1350"), "actual", None),
    ]
    assert problems(result) == [
        ("warning", "empty_sheet", "Quý 3", None, None, None),
        ("warning", "empty_sheet", "Quý 4", None, None, None),
    ]


def test_1904_date_system_periods() -> None:
    result = parse("date1904.xlsx")
    assert [(r.period_code, r.period_grain, r.value) for r in result.rows] == [
        ("2022-05", "month", Decimal("1500")),
        ("2022-06", "month", Decimal("1720")),
    ]


def test_percent_cells_and_fractions() -> None:
    assert [r.value for r in parse("percent_cells.xlsx").rows] == [Decimal("60.5"), Decimal("61.2"), Decimal("61.5")]
    result = parse("percent_fractions.csv")
    # forest_cover_rate is a percent indicator written as fractions; star anise is not a percent.
    assert [(r.indicator_code, r.value) for r in result.rows] == [
        ("forest_cover_rate", Decimal("60")),
        ("forest_cover_rate", Decimal("61")),
        ("star_anise_output", Decimal("0.5")),
    ]


def test_template_reads_only_listed_sheets() -> None:
    result = parse("template_nnptnt.xlsx")
    assert (result.layout, result.template_version, result.sheets_read) == ("template", "vq-template-1", ["Số liệu"])
    assert rows(result) == [
        ("Số liệu", 5, "sown_area", "BINH_PHUC", "2022-Q1", Decimal("410"), "actual", None),
        ("Số liệu", 6, "sown_area", "BINH_PHUC", "2022-Q2", Decimal("455.5"), "estimate", None),
        ("Số liệu", 7, "commune_new_rural_certified", "HOA_BINH", "2022", Decimal("1"), "actual", None),
    ]
    assert result.problems == []


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("corrupt_truncated.xlsx", "file_corrupt"),
        ("not_a_spreadsheet.xlsx", "file_corrupt"),
        ("zip_bomb.xlsx", "zip_bomb"),
        ("encrypted.xlsx", "file_encrypted"),
        ("mojibake.csv", "text_mojibake"),
        ("far_cell.xlsx", "sheet_too_large"),
    ],
)
def test_unsafe_or_unreadable_files_are_one_clear_error(name: str, rule: str) -> None:
    result = parse(name)
    assert result.rows == []
    assert [(p.severity, p.rule) for p in result.problems] == [("error", rule)]
    assert result.problems[0].message_vi.endswith(".")


def test_encrypted_message_tells_how_to_fix() -> None:
    message = parse("encrypted.xlsx").problems[0].message_vi
    assert "mật khẩu" in message and "gửi lại" in message


def test_corpus_has_every_case() -> None:
    names = {p.name for p in FILES.iterdir()}
    assert len(names) >= 25
    assert {p.suffix for p in FILES.iterdir()} >= {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv"}
