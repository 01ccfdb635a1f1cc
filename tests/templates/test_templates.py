"""The office templates: structure the reader relies on, guards for staff, and a round trip."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core import calendar, catalog
from ingest import templates as t

OFFICES = sorted(code for code, office in catalog.default().offices.items() if office.submits)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    assert t.main(["--out", str(out), "--year", "2022"]) == 0
    return {p.name.split("_")[1]: p for p in sorted(out.glob("*.xlsx"))}


def test_one_template_per_submitting_office(written: dict[str, Path]) -> None:
    # plus Phòng Nội vụ's emulation workbook (tests/emulation/test_template.py checks it)
    assert sorted(written) == sorted([*OFFICES, "noivu"])
    assert len(OFFICES) == 11
    assert written["tckh"].name == "mau-bao-cao_tckh_2022.xlsx"


@pytest.mark.parametrize("office", OFFICES)
def test_meta_sheet_is_hidden_and_exact(written: dict[str, Path], office: str) -> None:
    wb = load_workbook(written[office])
    assert wb.sheetnames == ["Hướng dẫn", "Số liệu", "Danh mục", "_meta"]
    meta = wb["_meta"]
    assert meta.sheet_state in {"hidden", "veryHidden"}
    cells = [[meta.cell(row=r, column=c).value for c in (1, 2)] for r in range(1, 5)]
    assert cells == [
        ["template_version", "vq-template-1"],
        ["office_code", office],
        ["plan_year", 2022],
        ["data_sheets", "Số liệu"],
    ]


@pytest.mark.parametrize("office", OFFICES)
def test_data_sheet_headers_title_and_protection(written: dict[str, Path], office: str) -> None:
    cat = catalog.default()
    ws = load_workbook(written[office])["Số liệu"]
    assert ws["A1"].value == f"BÁO CÁO SỐ LIỆU CHỈ TIÊU NĂM 2022 - {cat.offices[office].name_vi}"
    assert [c.value for c in ws[4]] == [
        "Mã chỉ tiêu", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Ghi chú",
    ]  # fmt: skip
    assert ws.protection.sheet is True
    assert ws.protection.password is None  # no password: protection only guards against slips
    assert all(c.protection.locked for c in ws[4])
    assert not any(c.protection.locked for c in ws[5])
    assert not ws.cell(row=1004, column=4).protection.locked
    # Empty data area: nothing in a dropped template can load by accident.
    assert ws.max_row <= 4 or all(c.value is None for row in ws.iter_rows(min_row=5) for c in row)
    assert ws["C5"].number_format == "@"  # periods stay text: 2022-05 must not become a date


@pytest.mark.parametrize("office", OFFICES)
def test_drop_downs_and_value_limits(written: dict[str, Path], office: str) -> None:
    cat = catalog.default()
    wb = load_workbook(written[office])
    ws = wb["Số liệu"]
    by_col = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert sorted(by_col) == ["A", "B", "C", "D", "E"]
    assert str(by_col["A"].sqref) == "A5:A1004"
    for col in "ABCE":
        assert by_col[col].type == "list"
        assert by_col[col].showErrorMessage
    assert by_col["D"].type == "decimal"
    assert by_col["D"].operator == "between"

    lists = wb["Danh mục"]

    def listed(dv_formula: str) -> list[object]:
        ref = dv_formula.split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    own = sorted(i.code for i in cat.indicators_of(office))
    assert listed(by_col["A"].formula1) == own
    assert sorted(listed(by_col["E"].formula1)) == ["chính thức", "ước"]
    periods = listed(by_col["C"].formula1)
    assert {"2022", "2021"} <= set(periods)
    monthly = any(i.frequency == "monthly" for i in cat.indicators_of(office))
    quarterly = any(i.frequency == "quarterly" for i in cat.indicators_of(office))
    assert ("2022-05" in periods) == ("2021-12" in periods) == monthly
    assert ("2022-Q1" in periods) == ("2021-Q4" in periods) == quarterly
    units = listed(by_col["B"].formula1)
    # every level a figure may be given at is offered: the district where any indicator
    # takes a district total, the town and communes where any takes a breakdown
    levels = {level for i in cat.indicators_of(office) for level in i.levels}
    assert ("Huyện Văn Quan" in units) == ("huyen" in levels)
    if levels & {"xa", "thi_tran"}:
        assert len([u for u in units if u != "Huyện Văn Quan"]) == 17
        assert "Thị trấn Văn Quan" in units and "Điềm He" in units
    # The limits come from the catalog, literal or looked up per row.
    bounds = {(i.value_min, i.value_max) for i in cat.indicators_of(office)}
    if len(bounds) == 1:
        low, high = bounds.pop()
        assert (Decimal(by_col["D"].formula1), Decimal(by_col["D"].formula2)) == (low, high)
    else:
        assert by_col["D"].formula1.startswith("IFERROR(VLOOKUP($A5,'Danh mục'!$A$2:$G$")
        rows = {r[0]: (r[5], r[6]) for r in lists.iter_rows(min_row=2, values_only=True) if r[0]}
        assert rows == {i.code: (float(i.value_min), float(i.value_max)) for i in cat.indicators_of(office)}


def test_guide_says_what_when_where_and_what_next(written: dict[str, Path]) -> None:
    ws = load_workbook(written["tckh"])["Hướng dẫn"]
    text = "\n".join(" | ".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True))
    assert "inbox/tckh/" in text
    # the office's own calendar (core.calendar), periods as people write them
    assert "Năm 2021 | hạn 20/01/2022 (năm gốc để so sánh)" in text
    assert "Quý 1/2022 | hạn 20/04/2022" in text
    assert "Tháng 12/2022 | hạn 20/01/2023" in text
    assert (
        "budget_revenue | Thu ngân sách trên địa bàn | triệu đồng | Toàn huyện, thị trấn hoặc từng xã (nộp: toàn "
        "huyện) | Hằng tháng"
    ) in text
    assert "báo cáo lỗi" in text and "nạp vào kho dữ liệu" in text
    assert "VÍ DỤ" in text
    assert "budget_revenue | Huyện Văn Quan | 2022-05 | 1250.5 | chính thức | VÍ DỤ" in text


def test_due_dates_follow_the_catalog() -> None:
    ind = catalog.default().indicators["sown_area"]
    assert [calendar.due_date(ind, p) for p in calendar.periods(ind.frequency, 2022)] == [
        date(2022, 4, 20), date(2022, 7, 20), date(2022, 10, 20), date(2023, 1, 20),
    ]  # fmt: skip
    assert calendar.due_rule_vi(ind) == "ngày 20 tháng sau kỳ báo cáo"


def test_templates_are_byte_identical_between_runs(tmp_path: Path) -> None:
    first = [p.read_bytes() for p in t.write_templates(tmp_path / "a", 2022)]
    second = [p.read_bytes() for p in t.write_templates(tmp_path / "b", 2022)]
    assert first == second


def test_filled_template_parses_to_exactly_those_rows(tmp_path: Path) -> None:
    parse = pytest.importorskip("ingest.parse")
    wb = t.build_workbook("tckh", 2022)
    t.fill_rows(
        wb,
        [
            ("budget_revenue", "Huyện Văn Quan", "2022-05", 1523, "chính thức", "Thu tháng 5"),
            ("budget_revenue", "Huyện Văn Quan", "2022-06", Decimal("1610.5"), "ước", None),
            ("gross_output_value", "Huyện Văn Quan", "2022-Q2", Decimal("702.4"), "chính thức", None),
            ("income_per_capita", "Huyện Văn Quan", "2021-Q4", Decimal("29.6"), None, None),
        ],
    )
    path = tmp_path / "tckh_2022-06.xlsx"
    path.write_bytes(t.stable_bytes(wb))
    result = parse.parse_file(path, "tckh")
    assert [p for p in result.problems if p.severity in ("error", "rejected")] == []
    got = [
        (r.sheet_name, r.source_row, r.indicator_code, r.admin_unit_code, r.period_code, r.value, r.value_type)
        for r in result.rows
    ]
    assert got == [
        ("Số liệu", 5, "budget_revenue", "VAN_QUAN", "2022-05", Decimal(1523), "actual"),
        ("Số liệu", 6, "budget_revenue", "VAN_QUAN", "2022-06", Decimal("1610.5"), "estimate"),
        ("Số liệu", 7, "gross_output_value", "VAN_QUAN", "2022-Q2", Decimal("702.4"), "actual"),
        ("Số liệu", 8, "income_per_capita", "VAN_QUAN", "2021-Q4", Decimal("29.6"), "actual"),
    ]
    assert result.rows[0].note == "Thu tháng 5"
    assert result.template_version == "vq-template-1"


def test_filled_commune_template_resolves_every_unit(tmp_path: Path) -> None:
    parse = pytest.importorskip("ingest.parse")
    cat = catalog.default()
    units = t.offered_units(cat, cat.indicators_of("ldtbxh"), 2022)
    communes = [u for u in units if u != "Huyện Văn Quan"]
    wb = t.build_workbook("ldtbxh", 2022)
    t.fill_rows(
        wb, [("households_poor", name, "2022-Q2", 100 + i, "chính thức", None) for i, name in enumerate(communes)]
    )
    path = tmp_path / "ldtbxh.xlsx"
    path.write_bytes(t.stable_bytes(wb))
    result = parse.parse_file(path, "ldtbxh")
    assert [p for p in result.problems if p.severity in ("error", "rejected")] == []
    expected = {u.code for u in cat.communes_on(date(2022, 6, 30))}
    assert {r.admin_unit_code for r in result.rows} == expected
    assert [r.value for r in result.rows] == [Decimal(100 + i) for i in range(17)]
