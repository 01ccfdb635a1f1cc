"""The suite that checks ``marts.fct_target_attainment`` against its dimensions after dbt.

It runs on the frame built by ``transform.marts.attainment_frame``: the fact table
fully joined with the spine "every target of the plan year × every as-of period", plus
flags and derived gaps computed in SQL (``in_fct``, ``in_dim``, ``rows_per_key``,
``meets_target``, ``ratio_gap``, ``indicator_known``). Everything here is error severity:
a failing mart stops the dashboards from being refreshed.
"""

from __future__ import annotations

from typing import Any

from core import catalog as catalog_mod
from ingest.model import ERROR

RATIO_TOLERANCE = 0.001


def mart_suite(cat: catalog_mod.Catalog) -> dict[str, Any]:
    """GX suite JSON of the attainment mart, parameterised by the catalog's plan years and targets."""
    from ingest.validation.suites import MART_SUITE, SuiteBuilder, row_and, row_cmp, row_in, stable_id

    b = SuiteBuilder(MART_SUITE)

    def add(type_: str, key: str, rule: str, message_vi: str, message_en: str, **kwargs: Any) -> None:
        b.add(type_, key, severity=ERROR, rule=rule, message_vi=message_vi, message_en=message_en, **kwargs)

    add(
        "expect_table_row_count_to_be_between",
        "not_empty",
        "mart_empty",
        "Bảng kết quả thực hiện chỉ tiêu đang trống.",
        "marts.fct_target_attainment is empty.",
        min_value=1,
        scope="table",
    )
    add(
        "expect_column_values_to_be_in_set",
        "row_for_every_target",
        "missing_attainment_row",
        "Thiếu dòng kết quả của chỉ tiêu {target_code} năm {plan_year}, kỳ {as_of_period}.",
        "No attainment row for {target_code} {plan_year} {as_of_period}.",
        column="in_fct",
        value_set=[True],
    )
    add(
        "expect_column_values_to_be_in_set",
        "target_in_dim",
        "orphan_target",
        "Chỉ tiêu {target_code} có trong bảng kết quả nhưng không có trong danh mục chỉ tiêu năm {plan_year}.",
        "Attainment row for {target_code} {plan_year} has no dim_target row.",
        column="in_dim",
        value_set=[True],
    )
    add(
        "expect_column_values_to_be_in_set",
        "one_row_per_target_period",
        "duplicate_attainment_row",
        "Chỉ tiêu {target_code}, kỳ {as_of_period} có {rows_per_key} dòng kết quả thay vì một.",
        "{target_code} {as_of_period} has {rows_per_key} attainment rows.",
        column="rows_per_key",
        value_set=[1],
    )
    for year in cat.plan_years():
        codes = sorted(t.code for t in cat.targets_for(year))
        add(
            "expect_column_distinct_values_to_equal_set",
            f"dim_targets_match_catalog:{year}",
            "dim_target_mismatch",
            f"Danh mục chỉ tiêu năm {year} trong kho dữ liệu không khớp với danh mục gốc.",
            f"marts.dim_target for {year} does not hold exactly the catalog's targets.",
            column="target_code",
            value_set=codes,
            row_condition=row_and(row_cmp("plan_year", "==", year), row_cmp("in_dim", "==", True)),
            scope="table",
        )
    add(
        "expect_column_values_to_be_in_set",
        "indicator_in_dim",
        "orphan_indicator",
        "Chỉ tiêu {target_code} dùng mã chỉ tiêu thống kê không có trong danh mục.",
        "dim_target {target_code} points to an indicator missing from dim_indicator.",
        column="indicator_known",
        value_set=[True],
        row_condition=row_cmp("in_dim", "==", True),
    )
    add(
        "expect_column_values_to_be_in_set",
        "status_known",
        "unknown_status",
        "Trạng thái «{status}» của chỉ tiêu {target_code} không hợp lệ.",
        "Unknown status {status} for {target_code}.",
        column="status",
        value_set=sorted(catalog_mod.STATUS_VI),
        row_condition=row_cmp("in_fct", "==", True),
    )
    add(
        "expect_column_pair_values_to_be_in_set",
        "status_label",
        "status_label_mismatch",
        "Nhãn trạng thái «{status_vi}» không khớp với mã «{status}» (chỉ tiêu {target_code}).",
        "status_vi {status_vi} does not match status {status} ({target_code}).",
        column_A="status",
        column_B="status_vi",
        value_pairs_set=sorted([code, label] for code, label in catalog_mod.STATUS_VI.items()),
        ignore_row_if="either_value_is_missing",
    )
    add(
        "expect_column_values_to_be_null",
        "missing_iff_no_actual_a",
        "status_missing_with_value",
        "Chỉ tiêu {target_code}, kỳ {as_of_period} có số liệu ({actual_value}) nhưng lại ghi «Thiếu số liệu».",
        "{target_code} {as_of_period} is thieu_so_lieu but has actual {actual_value}.",
        column="actual_value",
        row_condition=row_and(row_cmp("in_fct", "==", True), row_cmp("status", "==", "thieu_so_lieu")),
    )
    add(
        "expect_column_values_to_not_be_null",
        "missing_iff_no_actual_b",
        "status_without_value",
        "Chỉ tiêu {target_code}, kỳ {as_of_period} chưa có số liệu nhưng trạng thái là «{status_vi}».",
        "{target_code} {as_of_period} has status {status} without an actual value.",
        column="actual_value",
        row_condition=row_and(
            row_cmp("in_fct", "==", True),
            row_cmp("status", "!=", "thieu_so_lieu"),
            row_cmp("has_status_note", "==", False),
        ),
    )
    add(
        "expect_column_values_to_be_in_set",
        "achieved_means_met",
        "status_not_supported",
        "Chỉ tiêu {target_code}, kỳ {as_of_period} ghi «{status_vi}» nhưng số thực hiện {actual_value} chưa đạt mục "
        "tiêu {target_value}.",
        "{target_code} {as_of_period} is {status} but actual {actual_value} does not meet {target_value}.",
        column="meets_target",
        value_set=[True],
        row_condition=row_and(row_cmp("in_fct", "==", True), row_in("status", ["vuot", "dat"])),
    )
    add(
        "expect_column_values_to_be_between",
        "ratio_consistent",
        "ratio_inconsistent",
        "Tỷ lệ hoàn thành của chỉ tiêu {target_code}, kỳ {as_of_period} không khớp với số thực hiện và mục tiêu.",
        "attainment_ratio of {target_code} {as_of_period} differs from actual/target by {ratio_gap}.",
        column="ratio_gap",
        min_value=0.0,
        max_value=RATIO_TOLERANCE,
    )
    add(
        "expect_column_values_to_be_between",
        "completeness_in_range",
        "completeness_out_of_range",
        "Tỷ lệ đầy đủ số liệu của chỉ tiêu {target_code}, kỳ {as_of_period} nằm ngoài 0–1.",
        "completeness_ratio of {target_code} {as_of_period} is outside 0..1.",
        column="completeness_ratio",
        min_value=0.0,
        max_value=1.0,
    )
    add(
        "expect_column_pair_values_a_to_be_greater_than_b",
        "units_reported_le_expected",
        "units_reported_exceed_expected",
        "Chỉ tiêu {target_code}, kỳ {as_of_period}: số đơn vị đã báo cáo lớn hơn số đơn vị phải báo cáo.",
        "{target_code} {as_of_period}: units_reported exceeds units_expected.",
        column_A="units_expected",
        column_B="units_reported",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )
    return {
        "name": b.name,
        "id": stable_id("suite", b.name),
        "expectations": b.expectations,
        "meta": {
            "generated_by": "python -m ingest.validate --write-suites",
            "target": "marts.fct_target_attainment",
            "plan_years": cat.plan_years(),
        },
        "notes": "Attainment mart: one row per target and as-of period, statuses consistent with the values.",
    }
