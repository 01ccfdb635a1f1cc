"""Numbers, periods, headers and unit names, one parser at a time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from core import catalog
from ingest import headers, numbers, periods
from ingest.names import DISSOLVED, FOUND, SUCCESSOR, UNKNOWN, UnitResolver


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("17.600", numbers.AMBIGUOUS),
        ("8,5", numbers.VI),
        ("1.234,5", numbers.VI),
        ("1.234.567", numbers.VI),
        ("17600", numbers.PLAIN),
        ("8.5", numbers.INTL),
        ("1,234.5", numbers.INTL),
        ("0.500", numbers.INTL),
        ("1,500", numbers.AMBIGUOUS),
        ("12.34.5", numbers.INVALID),
        ("abc", numbers.INVALID),
        ("98%", numbers.PLAIN),
    ],
)
def test_classify(text: str, kind: str) -> None:
    assert numbers.classify(text) == kind


def test_detect_one_convention_per_column() -> None:
    assert numbers.detect(["17.600", "8,5"]) == numbers.Convention(numbers.VI)
    assert numbers.detect(["17,600", "8.5"]) == numbers.Convention(numbers.INTL)
    assert numbers.detect(["1.500", "2.000"]) == numbers.Convention(None, ambiguous=True)
    assert numbers.detect(["8,5", "8.5"]) == numbers.Convention(None, conflicting=True)
    assert numbers.detect(["12", "7"]) == numbers.Convention(None)


@pytest.mark.parametrize(
    ("text", "style", "value", "percent"),
    [
        ("17.600", numbers.VI, "17600", False),
        ("17.600", numbers.INTL, "17.6", False),
        ("1.234,5", numbers.VI, "1234.5", False),
        ("1,234.5", numbers.INTL, "1234.5", False),
        ("- 3,25", numbers.VI, "-3.25", False),
        ("98%", None, "98", True),
        ("61,5 %", numbers.VI, "61.5", True),
        ("17 600", None, "17600", False),
    ],
)
def test_parse_numbers(text: str, style: str | None, value: str, percent: bool) -> None:
    assert numbers.parse(text, style) == numbers.TextNumber(Decimal(value), percent)


def test_parse_refuses_what_it_cannot_read() -> None:
    for text, style, reason in [("1.500", None, "ambiguous"), ("8.5", numbers.VI, "conflict"), ("x", None, "invalid")]:
        with pytest.raises(numbers.NumberError) as info:
            numbers.parse(text, style)
        assert info.value.reason == reason


def test_floats_as_excel_shows_them() -> None:
    assert numbers.from_float(0.1 + 0.2) == Decimal("0.3")
    assert str(numbers.from_float(17600.0)) == "17600"


@pytest.mark.parametrize(
    ("value", "code", "grain", "start", "end"),
    [
        ("2022", "2022", "year", date(2022, 1, 1), date(2022, 12, 31)),
        (2022.0, "2022", "year", date(2022, 1, 1), date(2022, 12, 31)),
        ("2022-Q2", "2022-Q2", "quarter", date(2022, 4, 1), date(2022, 6, 30)),
        ("Quý 2/2022", "2022-Q2", "quarter", date(2022, 4, 1), date(2022, 6, 30)),
        ("Q2/2022", "2022-Q2", "quarter", date(2022, 4, 1), date(2022, 6, 30)),
        ("Quý IV/2022", "2022-Q4", "quarter", date(2022, 10, 1), date(2022, 12, 31)),
        ("2022-05", "2022-05", "month", date(2022, 5, 1), date(2022, 5, 31)),
        ("Tháng 5/2022", "2022-05", "month", date(2022, 5, 1), date(2022, 5, 31)),
        ("05/2022", "2022-05", "month", date(2022, 5, 1), date(2022, 5, 31)),
        ("Tháng 2/2024", "2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        (datetime(2022, 5, 17), "2022-05", "month", date(2022, 5, 1), date(2022, 5, 31)),
    ],
)
def test_periods(value: object, code: str, grain: str, start: date, end: date) -> None:
    assert periods.parse(value) == periods.Period(code, grain, start, end)


@pytest.mark.parametrize("value", ["2022-13", "Quý 5/2022", "31/02/2022", "abc", "", 1.5, True, "1800"])
def test_bad_periods(value: object) -> None:
    assert periods.parse(value) is None


def test_headers_any_language_case_marks_spacing() -> None:
    assert [
        headers.match(t)
        for t in [
            "MA CHI TIEU",
            "Đơn vị  hành chính",
            "kỳ báo cáo",
            "Value",
            "loại_số_liệu",
            "Ghi chú",
            "Tên chỉ tiêu",
            "Đơn vị tính",
        ]
    ] == ["indicator", "admin_unit", "period", "value", "value_type", "note", None, None]
    assert headers.declared_style("Giá trị (1.234,5)") == numbers.VI
    assert headers.declared_style("Giá trị (dấu chấm thập phân)") == numbers.INTL


def test_header_below_titles_and_missing_columns() -> None:
    rows = [["BÁO CÁO"], ["Kính gửi: UBND huyện"], [], ["", "Mã chỉ tiêu", "Kỳ báo cáo", "Giá trị"]]
    search = headers.find(rows)
    assert (search.header, search.best_row, search.missing) == (None, 3, ("admin_unit",))
    rows[3].append("Đơn vị hành chính")
    found = headers.find(rows).header
    assert found is not None and (found.row, found.columns) == (
        3,
        {"indicator": 1, "period": 2, "value": 3, "admin_unit": 4},
    )


@pytest.fixture(scope="module")
def units() -> UnitResolver:
    return UnitResolver(catalog.default())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Liên Hội", "LIEN_HOI"),
        ("lien hoi", "LIEN_HOI"),
        ("Xã Liên Hội", "LIEN_HOI"),
        ("X. Liên Hội", "LIEN_HOI"),
        ("TT Văn Quan", "TT_VAN_QUAN"),
        ("TT. Văn Quan", "TT_VAN_QUAN"),
        ("Thị trấn Văn Quan", "TT_VAN_QUAN"),
        ("huyện", "VAN_QUAN"),
        ("district", "VAN_QUAN"),
        ("Toàn huyện", "VAN_QUAN"),
        ("182", "VAN_QUAN"),
        ("Hoà Bình", "HOA_BINH"),
        ("  ĐIỀM   HE ", "DIEM_HE"),
        ("TRANG_CAC", "TRANG_CAC"),
    ],
)
def test_unit_spellings(units: UnitResolver, text: str, code: str) -> None:
    assert (units.resolve(text, date(2022, 4, 1)).status, units.resolve(text, date(2022, 4, 1)).code) == (FOUND, code)


def test_units_across_mergers(units: UnitResolver) -> None:
    assert units.resolve("Phú Mỹ", date(2022, 1, 1)).code == "LIEN_HOI"
    assert units.resolve("Phú Mỹ", date(2022, 1, 1)).status == SUCCESSOR
    assert (units.resolve("Phú Mỹ", date(2019, 1, 1)).status, units.resolve("Phú Mỹ", date(2019, 1, 1)).code) == (
        FOUND,
        "PHU_MY",
    )
    assert units.resolve("Vĩnh Lại", date(2022, 1, 1)).status == DISSOLVED
    assert units.resolve("Hà Nội", date(2022, 1, 1)).status == UNKNOWN
