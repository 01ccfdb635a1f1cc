"""Figures given at any level an office legitimately uses: district totals, commune breakdowns, the town."""

from __future__ import annotations

import pytest

from ingest.model import REJECTED, WARNING
from ingest.validate import validate_submission
from tests.validation.helpers import Sheet, communes


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))


def _problems(sheet: Sheet, office: str) -> list[tuple[str, str, int]]:
    outcome = validate_submission(sheet.rows, office, source_label=f"{office}.xlsx")
    return sorted((p.severity, p.rule, p.source_row) for p in outcome.problems)


def test_district_totals_above_any_commune_bound_are_taken() -> None:
    sheet = Sheet()
    sheet.add("households_total", "VAN_QUAN", "2022", 12000)
    sheet.add("households_poor", "VAN_QUAN", "2022", 900)
    assert _problems(sheet, "ldtbxh") == []
    anise = Sheet()
    anise.add("star_anise_output", "VAN_QUAN", "2022", 18000)
    assert _problems(anise, "nnptnt") == []


def test_a_commune_bound_still_holds_for_one_commune() -> None:
    sheet = Sheet()
    row = sheet.add("households_total", "AN_SON", "2022", 12000)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="ld.xlsx")
    [problem] = [p for p in outcome.problems if p.severity == REJECTED]
    assert (problem.rule, problem.source_row, problem.expected) == ("value_out_of_range", row, "0–10000")
    assert problem.message_vi == (
        f"Giá trị 12.000 của chỉ tiêu «Tổng số hộ» (xã An Sơn, năm 2022, dòng {row}) nằm ngoài khoảng hợp lệ "
        "0–10000 (hộ); hãy kiểm tra lại số và đơn vị tính."
    )


def test_schools_sent_per_commune_are_taken() -> None:
    sheet = Sheet()
    for i, unit in enumerate(communes()):
        sheet.add("schools_national_standard", unit, "2022-Q2", i % 3)
    assert _problems(sheet, "gddt") == []


def test_urban_waste_of_the_town_alone_is_taken() -> None:
    sheet = Sheet()
    sheet.add("solid_waste_collected", "TT_VAN_QUAN", "2022-Q2", 1180)
    sheet.add("solid_waste_generated", "TT_VAN_QUAN", "2022-Q2", 1205)
    assert _problems(sheet, "tnmt") == []


def test_a_rate_is_never_taken_per_commune_and_a_flag_never_for_the_district() -> None:
    sheet = Sheet()
    r_rate = sheet.add("forest_cover_rate", "AN_SON", "2022", 60)
    outcome = validate_submission(sheet.rows, "kiemlam", source_label="kl.xlsx")
    [problem] = outcome.problems
    assert (problem.severity, problem.rule, problem.source_row) == (REJECTED, "wrong_level", r_rate)
    assert problem.message_vi == (
        f"Chỉ tiêu «Tỷ lệ che phủ rừng» chỉ báo cáo cho toàn huyện; dòng {r_rate} lại ghi cho xã An Sơn. "
        "Hãy ghi số liệu cho đúng cấp này."
    )
    assert (problem.column_name, problem.value_found) == ("đơn vị hành chính", "AN_SON")

    flags = Sheet()
    r_flag = flags.add("commune_health_criteria", "VAN_QUAN", "2022", 1)
    outcome = validate_submission(flags.rows, "yte", source_label="yt.xlsx")
    [problem] = outcome.problems
    assert (problem.rule, problem.source_row) == ("wrong_level", r_flag)
    assert problem.message_vi == (
        "Chỉ tiêu «Xã đạt Bộ tiêu chí quốc gia về y tế (1 = đạt)» chỉ báo cáo cho thị trấn hoặc từng xã; "
        f"dòng {r_flag} lại ghi cho toàn huyện. Hãy ghi số liệu cho đúng cấp này."
    )


def test_district_total_and_a_breakdown_that_do_not_add_up_are_a_warning() -> None:
    units = communes()
    sheet = Sheet()
    total = sheet.add("households_total", "VAN_QUAN", "2022-Q2", 17 * 700 + 5)
    for unit in units:
        sheet.add("households_total", unit, "2022-Q2", 700)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="ld.xlsx")
    [problem] = outcome.problems
    assert (problem.severity, problem.rule, problem.source_row) == (WARNING, "breakdown_mismatch", total)
    assert problem.message_vi == (
        f"Số liệu toàn huyện của «Tổng số hộ», quý 2/2022 (chính thức) là 11.905 (dòng {total}), khác tổng của các "
        "xã, thị trấn là 11.900. Số toàn huyện được dùng cho cả huyện, số từng xã dùng cho báo cáo theo xã; hãy "
        "kiểm tra lại cho khớp."
    )


def test_a_breakdown_that_adds_up_or_is_partial_below_the_total_is_clean() -> None:
    units = communes()
    exact = Sheet()
    exact.add("households_total", "VAN_QUAN", "2022-Q2", 17 * 700)
    for unit in units:
        exact.add("households_total", unit, "2022-Q2", 700)
    assert _problems(exact, "ldtbxh") == []

    # schools: the office lists only the communes that have such a school
    partial = Sheet()
    partial.add("schools_national_standard", "VAN_QUAN", "2022-Q2", 20)
    partial.add("schools_national_standard", units[0], "2022-Q2", 3)
    partial.add("schools_national_standard", units[1], "2022-Q2", 2)
    assert _problems(partial, "gddt") == []
    # ... but a partial breakdown can never exceed the total
    over = Sheet()
    total = over.add("schools_national_standard", "VAN_QUAN", "2022-Q2", 4)
    over.add("schools_national_standard", units[0], "2022-Q2", 3)
    over.add("schools_national_standard", units[1], "2022-Q2", 2)
    assert _problems(over, "gddt") == [(WARNING, "breakdown_mismatch", total)]


def test_refused_still_name_the_cell() -> None:
    sheet = Sheet()
    r_unit = sheet.add("households_total", "ATLANTIS", "2022", 100)
    r_owner = sheet.add("tourist_visits", "AN_SON", "2022-05", 80)
    r_merged = sheet.add("households_total", "PHU_MY", "2022", 100)  # merged into Liên Hội in 2019
    sheet.add("households_total", "LIEN_HOI", "2022", 1500)
    outcome = validate_submission(sheet.rows, "ldtbxh", source_label="ld.xlsx")
    refused = sorted((p.rule, p.source_row, p.column_name) for p in outcome.problems if p.severity == REJECTED)
    assert refused == [
        ("admin_unit_not_valid", r_merged, "đơn vị hành chính"),
        ("indicator_not_owned", r_owner, "mã chỉ tiêu"),
        ("unknown_admin_unit", r_unit, "đơn vị hành chính"),
    ]


def test_poor_households_falling_is_no_warning_but_a_running_count_falling_is() -> None:
    sheet = Sheet()
    sheet.add("households_poor", "VAN_QUAN", "2022-Q1", 1200)
    sheet.add("households_poor", "VAN_QUAN", "2022-Q2", 1100)  # what XH06 asks for
    assert _problems(sheet, "ldtbxh") == []
    schools = Sheet()
    schools.add("schools_national_standard", "VAN_QUAN", "2022-Q1", 20)
    down = schools.add("schools_national_standard", "VAN_QUAN", "2022-Q2", 19)
    assert _problems(schools, "gddt") == [(WARNING, "cumulative_decrease", down)]
