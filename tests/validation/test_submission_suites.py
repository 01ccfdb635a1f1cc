"""Each submission suite against passing and failing rows: outcome and the Vietnamese message."""

from __future__ import annotations

import pytest

from ingest.model import REJECTED, WARNING
from ingest.validate import rejected_rows, validate_submission
from tests.validation.helpers import Sheet, communes


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))


def _ldtbxh_clean() -> Sheet:
    sheet = Sheet()
    for i, unit in enumerate(communes()):
        sheet.add("households_poor", unit, "2022-Q2", 100 + i)
        sheet.add("households_total", unit, "2022-Q2", 1000 + 10 * i)
    sheet.add("workers_trained", "VAN_QUAN", "2022-Q2", 21000)
    sheet.add("workers_total", "VAN_QUAN", "2022-Q2", 38000)
    return sheet


def by_rule(outcome, rule):
    return [p for p in outcome.problems if p.rule == rule]


def test_clean_submission_passes_every_expectation():
    outcome = validate_submission(_ldtbxh_clean().rows, "ldtbxh", source_label="ldtbxh.xlsx")
    assert outcome.problems == []
    assert outcome.success
    assert outcome.suite_name == "submission_ldtbxh"
    assert all(r.success for r in outcome.results)
    assert {r.rule for r in outcome.results} >= {
        "unknown_indicator",
        "indicator_not_owned",
        "value_out_of_range",
        "numerator_exceeds_denominator",
        "duplicate_key",
        "commune_coverage",
    }
    assert rejected_rows(outcome) == set()


def test_indicator_of_another_office_is_rejected_naming_the_owner():
    sheet = _ldtbxh_clean()
    row = sheet.add("tourist_visits", "VAN_QUAN", "2022-05", 800)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="f.xlsx")
    [problem] = outcome.problems
    assert (problem.severity, problem.rule, problem.source_row) == (REJECTED, "indicator_not_owned", row)
    assert problem.message_vi == (
        f"Chỉ tiêu «Lượt khách du lịch» (tourist_visits) ở dòng {row} thuộc Phòng Văn hóa và Thông tin, không phải "
        "đơn vị của bạn (Phòng Lao động - Thương binh và Xã hội); hãy gửi số liệu này cho Phòng Văn hóa và Thông tin."
    )
    assert problem.column_name == "mã chỉ tiêu"
    assert problem.value_found == "tourist_visits"
    assert rejected_rows(outcome) == {("Số liệu", row)}
    assert not outcome.success


def test_unknown_indicator_unit_period_and_merged_unit_are_rejected():
    sheet = _ldtbxh_clean()
    r_unknown = sheet.add("households_rich", "AN_SON", "2022-Q2", 5)
    r_merged = sheet.add("households_poor", "PHU_MY", "2022-Q2", 50)
    r_period = sheet.add("workers_total", "VAN_QUAN", "2019", 30000)
    r_unit = sheet.add("households_total", "ATLANTIS", "2022-Q2", 10)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="f.xlsx")
    found = {(p.rule, p.source_row) for p in outcome.problems if p.severity == REJECTED}
    assert found == {
        ("unknown_indicator", r_unknown),
        ("admin_unit_not_valid", r_merged),
        ("period_out_of_plan", r_period),
        ("unknown_admin_unit", r_unit),
    }
    merged = by_rule(outcome, "admin_unit_not_valid")[0]
    assert merged.message_vi == (
        f"Đơn vị xã Phú Mỹ (dòng {r_merged}) không còn tồn tại trong quý 2/2022 (đã sáp nhập vào xã Liên Hội); "
        "hãy ghi số liệu cho đơn vị hành chính hiện hành."
    )
    assert by_rule(outcome, "period_out_of_plan")[0].message_vi == (
        f"Kỳ báo cáo năm 2019 ở dòng {r_period} nằm ngoài các năm được theo dõi (2021, 2022); hãy kiểm tra lại cột "
        "«kỳ báo cáo»."
    )
    assert "không có trong danh mục" in by_rule(outcome, "unknown_indicator")[0].message_vi


def test_ranges_whole_numbers_flags_and_percentages():
    sheet = Sheet()
    r_flag = sheet.add("commune_new_rural_certified", "AN_SON", "2022-Q2", 2)
    r_half = sheet.add("rural_population", "AN_SON", "2022-Q2", "4500.5")
    r_big = sheet.add("sown_area", "AN_SON", "2022-Q2", 9999)
    sheet.add("sown_area", "BINH_PHUC", "2022-Q2", 420)
    outcome = validate_submission(sheet.rows, "nnptnt", source_label="nn.xlsx")
    rejected = {(p.rule, p.source_row) for p in outcome.problems if p.severity == REJECTED}
    assert rejected == {
        ("value_out_of_range", r_flag),
        ("flag_not_0_1", r_flag),
        ("value_not_whole", r_half),
        ("value_out_of_range", r_big),
    }
    big = next(p for p in outcome.problems if p.source_row == r_big and p.rule == "value_out_of_range")
    assert big.message_vi == (
        f"Giá trị 9.999 của chỉ tiêu «Diện tích gieo trồng» (xã An Sơn, quý 2/2022, dòng {r_big}) nằm ngoài khoảng "
        "hợp lệ 0–5000 (ha); hãy kiểm tra lại số và đơn vị tính."
    )
    assert big.expected == "0–5000"

    pct = Sheet()
    r_pct = pct.add("forest_cover_rate", "VAN_QUAN", "2022", "101,5".replace(",", "."))
    r_commune = pct.add("forest_cover_rate", "AN_SON", "2022", 60)
    outcome = validate_submission(pct.rows, "kiemlam", source_label="kl.xlsx")
    assert {(p.rule, p.source_row) for p in outcome.problems} == {
        ("value_out_of_range", r_pct),
        ("wrong_level", r_commune),
    }
    assert "Giá trị 101,5 của chỉ tiêu «Tỷ lệ che phủ rừng»" in by_rule(outcome, "value_out_of_range")[0].message_vi


def test_numerator_above_denominator_and_duplicate_keys():
    sheet = _ldtbxh_clean()
    r_dup = sheet.add("households_poor", "AN_SON", "2022-Q2", 101)
    first_an_son = next(
        r.source_row for r in sheet.rows if r.indicator_code == "households_poor" and r.admin_unit_code == "AN_SON"
    )
    r_trained = sheet.add("workers_trained", "VAN_QUAN", "2022-Q3", 40000)
    sheet.add("workers_total", "VAN_QUAN", "2022-Q3", 38000)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="f.xlsx")
    ratio = by_rule(outcome, "numerator_exceeds_denominator")
    assert [(p.source_row, p.severity) for p in ratio] == [(r_trained, REJECTED)]
    assert ratio[0].message_vi == (
        f"«Số lao động đã qua đào tạo» = 40.000 lớn hơn «Tổng số lao động» = 38.000 (toàn huyện, quý 3/2022, "
        f"dòng {r_trained}); phần không thể lớn hơn tổng, hãy kiểm tra lại cả hai số."
    )
    dups = by_rule(outcome, "duplicate_key")
    assert sorted(p.source_row for p in dups) == sorted([first_an_son, r_dup])
    assert f"(dòng {first_an_son}, dòng {r_dup})" in dups[0].message_vi
    assert rejected_rows(outcome) == {("Số liệu", first_an_son), ("Số liệu", r_dup), ("Số liệu", r_trained)}


def test_rows_failing_one_rule_each_name_their_own_row_and_value():
    """Messages are rendered once per distinct wording: rows that differ in row or value must not share one."""
    sheet = Sheet()
    rows = {sheet.add("sown_area", unit, "2022-Q2", 9000 + i): 9000 + i for i, unit in enumerate(communes()[:3])}
    repeated = [sheet.add("sown_area", "AN_SON", "2022-Q3", 400) for _ in range(3)]
    outcome = validate_submission(sheet.rows, "nnptnt", source_label="nn.xlsx")
    out_of_range = {p.source_row: p.message_vi for p in by_rule(outcome, "value_out_of_range")}
    assert sorted(out_of_range) == sorted(rows)
    for row, value in rows.items():
        assert f"Giá trị {value:,}".replace(",", ".") in out_of_range[row]
        assert f"dòng {row})" in out_of_range[row]
    dups = by_rule(outcome, "duplicate_key")
    assert sorted(p.source_row for p in dups) == repeated
    names = ", ".join(f"dòng {r}" for r in repeated)
    assert all(f"({names})" in p.message_vi for p in dups)


def test_commune_coverage_is_one_warning_per_indicator_and_period():
    sheet = Sheet()
    units = communes()
    for unit in units[:-2]:
        sheet.add("villages_on_grid", unit, "2022-Q2", 5)
    outcome = validate_submission(sheet.rows, "ktht", source_label="kt.xlsx")
    [warning] = outcome.problems
    assert warning.severity == WARNING and warning.rule == "commune_coverage"
    assert warning.message_vi == (
        "Chỉ tiêu «Số thôn được sử dụng điện lưới quốc gia», quý 2/2022 (chính thức) mới có số liệu của 15/17 đơn vị; "
        "còn thiếu: Tú Xuyên, Yên Phúc. Hãy bổ sung số liệu của các đơn vị này."
    )
    assert rejected_rows(outcome) == set()
    assert outcome.success  # warnings do not fail a run

    town_only = Sheet()
    town_only.add("town_population", "TT_VAN_QUAN", "2022-Q2", 9000)
    assert validate_submission(town_only.rows, "ktht", source_label="kt.xlsx").problems == []


def test_office_that_does_not_submit_gets_an_error():
    sheet = Sheet()
    sheet.add("population", "AN_SON", "2022-05", 5000)
    outcome = validate_submission(sheet.rows, "noivu", source_label="nv.xlsx")
    [problem] = outcome.problems
    assert problem.severity == "error" and problem.rule == "office_not_submitting"
    assert outcome.has_errors
