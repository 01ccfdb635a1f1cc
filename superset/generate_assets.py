"""Write the Superset asset bundle (superset/assets/) from the compact specification below.

The YAML under superset/assets/ is what gets imported and what an export must reproduce;
this script is the authoring tool that keeps ~20 charts and 7 dashboards consistent
(stable UUIDs, saved query contexts, Vietnamese labels). Run it after editing the
specification and commit both: tests check that the committed YAML equals its output.

    python superset/generate_assets.py [OUT_DIR]
"""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import yaml

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
NAMESPACE = uuid.UUID("6f1d3c52-2b8e-4a59-9f0e-7a1b2c3d4e5f")
DB_URL_PLACEHOLDER = "__WAREHOUSE_READER_URL__"
VERSION = "1.0.0"
DATABASE_NAME = "Kho dữ liệu Văn Quan"

STATUS_COLOURS = {
    "Vượt": "#1a7f37",
    "Đạt": "#2da44e",
    "Đúng tiến độ": "#54aeff",
    "Chậm tiến độ": "#d4a72c",
    "Chưa đạt": "#7b5ea7",
    "Không đạt": "#cf222e",
    "Thiếu số liệu": "#8c959f",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def uid(key: str) -> str:
    """Stable UUID of an asset, so regenerating never orphans what was imported before."""
    return str(uuid.uuid5(NAMESPACE, key))


# ---------------------------------------------------------------- datasets
# (column, type, is_dttm, Vietnamese label)
Col = tuple[str, str, bool, str]
# A 'YYYY-MM' code is shown as people write it: 'Tháng 5/2022' (the code stays for sorting).


# Saved metrics the filters sort their values by (the codes sort, the Vietnamese labels do not).
LATEST_PERIOD = ("latest_period", "MAX(as_of_period)", "Kỳ gần nhất")
FIRST_IN_PLAN = ("first_in_plan", "MIN(sort_order)", "Thứ tự trong kế hoạch")

DATASETS: dict[str, dict[str, Any]] = {
    "attainment": {
        "table_name": "vq_muc_dat_chi_tieu",
        "description": "Mức đạt của từng chỉ tiêu theo tháng, so với kế hoạch và cùng kỳ năm trước",
        "metrics": [LATEST_PERIOD, FIRST_IN_PLAN],
        "sql": """select
    a.plan_year,
    a.as_of_period,
    'Tháng ' || cast(substr(a.as_of_period, 6, 2) as integer) || '/' || substr(a.as_of_period, 1, 4) as as_of_month_vi,
    a.as_of_date,
    a.target_code,
    t.sort_order,
    t.name_vi,
    a.area,
    t.area_vi,
    t.unit,
    t.responsible_office_vi,
    a.target_value,
    a.actual_value,
    a.attainment_ratio * 100 as attainment_pct,
    a.status,
    a.status_vi,
    a.expected_value_now,
    a.projected_year_end,
    a.projected_month_reached,
    case when a.projected_month_reached is not null
        then 'Tháng ' || cast(substr(a.projected_month_reached, 6, 2) as integer)
            || '/' || substr(a.projected_month_reached, 1, 4)
    end as projected_month_reached_vi,
    a.office_year_estimate,
    a.previous_year_value,
    a.change_vs_previous_year,
    a.change_vs_previous_year_pct,
    case when a.is_final then 'Chính thức' else 'Ước' end as figure_kind_vi,
    nullif(concat_ws('; ',
        a.missing_figure,
        a.status_note,
        case when a.baseline_is_prorated
            then 'Cùng kỳ năm trước tính bình quân từ số liệu cả năm (hoặc cả quý) của năm trước' end
    ), '') as note_vi,
    a.completeness_ratio * 100 as completeness_pct
from marts.fct_target_attainment as a
inner join marts.dim_target as t
    on a.plan_year = t.plan_year and a.target_code = t.target_code""",
        "columns": [
            ("plan_year", "INTEGER", False, "Năm kế hoạch"),
            ("as_of_period", "VARCHAR", False, "Mã tháng"),
            ("as_of_month_vi", "VARCHAR", False, "Tháng"),
            ("as_of_date", "DATE", True, "Ngày số liệu"),
            ("target_code", "VARCHAR", False, "Mã chỉ tiêu"),
            ("sort_order", "INTEGER", False, "Thứ tự"),
            ("name_vi", "VARCHAR", False, "Chỉ tiêu"),
            ("area", "VARCHAR", False, "Mã lĩnh vực"),
            ("area_vi", "VARCHAR", False, "Lĩnh vực"),
            ("unit", "VARCHAR", False, "Đơn vị tính"),
            ("responsible_office_vi", "VARCHAR", False, "Cơ quan chủ trì"),
            ("target_value", "NUMERIC", False, "Kế hoạch năm"),
            ("actual_value", "NUMERIC", False, "Thực hiện"),
            ("attainment_pct", "NUMERIC", False, "Tỷ lệ đạt (%)"),
            ("status", "VARCHAR", False, "Mã trạng thái"),
            ("status_vi", "VARCHAR", False, "Trạng thái"),
            ("expected_value_now", "NUMERIC", False, "Lộ trình đều"),
            ("projected_year_end", "NUMERIC", False, "Dự báo cuối năm"),
            ("projected_month_reached", "VARCHAR", False, "Mã tháng dự kiến đạt"),
            ("projected_month_reached_vi", "VARCHAR", False, "Tháng dự kiến đạt"),
            ("office_year_estimate", "NUMERIC", False, "Ước thực hiện cả năm (cơ quan báo cáo)"),
            ("previous_year_value", "NUMERIC", False, "Cùng kỳ năm trước"),
            ("change_vs_previous_year", "NUMERIC", False, "Tăng/giảm so với cùng kỳ"),
            ("change_vs_previous_year_pct", "NUMERIC", False, "Tăng/giảm so với cùng kỳ (%)"),
            ("figure_kind_vi", "VARCHAR", False, "Loại số liệu"),
            ("note_vi", "VARCHAR", False, "Ghi chú"),
            ("completeness_pct", "NUMERIC", False, "Đủ số liệu (%)"),
        ],
    },
    "communes": {
        "table_name": "vq_chi_tieu_theo_xa",
        "description": "Số liệu của từng xã, thị trấn theo tháng",
        "metrics": [LATEST_PERIOD],
        "sql": """select
    c.plan_year,
    c.as_of_period,
    'Tháng ' || cast(substr(c.as_of_period, 6, 2) as integer) || '/' || substr(c.as_of_period, 1, 4) as as_of_month_vi,
    c.admin_unit_code,
    c.admin_unit_name,
    c.indicator_code,
    i.name_vi as indicator_name,
    i.unit,
    c.value,
    c.value_ytd,
    c.ratio_pct,
    c.share_of_district_pct,
    c.rank_in_district
from marts.fct_commune_indicators as c
inner join marts.dim_indicator as i on c.indicator_code = i.indicator_code""",
        "columns": [
            ("plan_year", "INTEGER", False, "Năm kế hoạch"),
            ("as_of_period", "VARCHAR", False, "Mã tháng"),
            ("as_of_month_vi", "VARCHAR", False, "Tháng"),
            ("admin_unit_code", "VARCHAR", False, "Mã xã"),
            ("admin_unit_name", "VARCHAR", False, "Xã, thị trấn"),
            ("indicator_code", "VARCHAR", False, "Mã chỉ số"),
            ("indicator_name", "VARCHAR", False, "Chỉ số"),
            ("unit", "VARCHAR", False, "Đơn vị tính"),
            ("value", "NUMERIC", False, "Giá trị kỳ"),
            ("value_ytd", "NUMERIC", False, "Lũy kế"),
            ("ratio_pct", "NUMERIC", False, "Tỷ lệ (%)"),
            ("share_of_district_pct", "NUMERIC", False, "Tỷ trọng trong huyện (%)"),
            ("rank_in_district", "INTEGER", False, "Xếp hạng trong huyện"),
        ],
    },
    "compliance": {
        "table_name": "vq_tinh_hinh_nop_bao_cao",
        "description": "Tình hình nộp số liệu của các phòng, ban theo từng kỳ báo cáo",
        "sql": """select
    r.plan_year,
    r.office_code,
    r.office_name,
    r.indicator_code,
    coalesce(i.name_vi, r.indicator_code) as indicator_name,
    r.period_code,
    r.period_label_vi || case when r.is_baseline then ' (năm trước, để so sánh)' else '' end as period_label_vi,
    r.due_date,
    r.first_received_at,
    r.days_late,
    r.compliance_status,
    case r.compliance_status
        when 'dung_han' then 'Đúng hạn'
        when 'tre_han' then 'Trễ hạn'
        when 'chua_nop' then 'Chưa nộp'
        else 'Chưa đến hạn'
    end as compliance_status_vi,
    r.units_missing,
    r.missing_units_vi,
    r.rejected_files,
    r.last_rejection_reason
from marts.fct_reporting_compliance as r
left join marts.dim_indicator as i on r.indicator_code = i.indicator_code""",
        "columns": [
            ("plan_year", "INTEGER", False, "Năm kế hoạch"),
            ("office_code", "VARCHAR", False, "Mã phòng, ban"),
            ("office_name", "VARCHAR", False, "Phòng, ban"),
            ("indicator_code", "VARCHAR", False, "Mã chỉ số"),
            ("indicator_name", "VARCHAR", False, "Số liệu"),
            ("period_code", "VARCHAR", False, "Mã kỳ báo cáo"),
            ("period_label_vi", "VARCHAR", False, "Kỳ báo cáo"),
            ("due_date", "DATE", True, "Hạn nộp"),
            ("first_received_at", "TIMESTAMP WITH TIME ZONE", True, "Nộp lần đầu"),
            ("days_late", "INTEGER", False, "Số ngày trễ"),
            ("compliance_status", "VARCHAR", False, "Mã tình trạng"),
            ("compliance_status_vi", "VARCHAR", False, "Tình trạng"),
            ("units_missing", "INTEGER", False, "Số đơn vị còn thiếu"),
            ("missing_units_vi", "VARCHAR", False, "Đơn vị còn thiếu"),
            ("rejected_files", "INTEGER", False, "Số tệp bị từ chối"),
            ("last_rejection_reason", "VARCHAR", False, "Lý do từ chối gần nhất"),
        ],
    },
    "quality": {
        "table_name": "vq_chat_luong_du_lieu",
        "description": "Lỗi và cảnh báo của từng tệp số liệu đã nhận",
        "sql": """select
    q.file_id,
    q.office_code,
    o.name_vi as office_name,
    q.original_name,
    q.received_at,
    q.status,
    case q.status
        when 'loaded' then 'Đã nạp'
        when 'loaded_with_warnings' then 'Đã nạp, có cảnh báo'
        when 'quarantined' then 'Bị từ chối'
        when 'duplicate' then 'Trùng lặp'
        when 'failed' then 'Lỗi hệ thống'
        else 'Đang xử lý'
    end as status_vi,
    q.rows_loaded,
    q.rows_rejected,
    q.error_count,
    q.warning_count,
    q.rule,
    q.severity,
    case q.severity
        when 'error' then 'Lỗi'
        when 'rejected' then 'Dòng bị loại'
        when 'warning' then 'Cảnh báo'
    end as severity_vi,
    q.message_vi
from marts.fct_data_quality as q
left join marts.dim_office as o on q.office_code = o.office_code""",
        "columns": [
            ("file_id", "BIGINT", False, "Mã tệp"),
            ("office_code", "VARCHAR", False, "Mã phòng, ban"),
            ("office_name", "VARCHAR", False, "Phòng, ban"),
            ("original_name", "VARCHAR", False, "Tên tệp"),
            ("received_at", "TIMESTAMP WITH TIME ZONE", True, "Thời điểm nhận"),
            ("status", "VARCHAR", False, "Mã kết quả"),
            ("status_vi", "VARCHAR", False, "Kết quả xử lý"),
            ("rows_loaded", "INTEGER", False, "Số dòng đã nạp"),
            ("rows_rejected", "INTEGER", False, "Số dòng bị loại"),
            ("error_count", "INTEGER", False, "Số lỗi"),
            ("warning_count", "INTEGER", False, "Số cảnh báo"),
            ("rule", "VARCHAR", False, "Mã quy tắc kiểm tra"),
            ("severity", "VARCHAR", False, "Mã mức độ"),
            ("severity_vi", "VARCHAR", False, "Mức độ"),
            ("message_vi", "VARCHAR", False, "Nội dung"),
        ],
    },
    "ranking": {
        "table_name": "vq_xep_hang_thi_dua",
        "description": "Xếp hạng thi đua (tham khảo) của xã, thị trấn và phòng, ban",
        "metrics": [LATEST_PERIOD],
        "sql": """select
    e.plan_year,
    e.as_of_period,
    'Tháng ' || cast(substr(e.as_of_period, 6, 2) as integer) || '/' || substr(e.as_of_period, 1, 4) as as_of_month_vi,
    e.entity_type,
    case e.entity_type when 'xa' then 'Xã, thị trấn' else 'Phòng, ban' end as entity_type_vi,
    e.entity_code,
    e.entity_name,
    e.targets_carried,
    e.targets_on_track,
    e.attainment_score,
    e.reporting_score,
    e.total_score,
    e.rank,
    case when e.total_score is null then 'Chưa xếp hạng' else cast(e.rank as varchar) end as rank_vi
from marts.fct_emulation_ranking as e""",
        "columns": [
            ("plan_year", "INTEGER", False, "Năm kế hoạch"),
            ("as_of_period", "VARCHAR", False, "Mã tháng"),
            ("as_of_month_vi", "VARCHAR", False, "Tháng"),
            ("entity_type", "VARCHAR", False, "Mã loại đơn vị"),
            ("entity_type_vi", "VARCHAR", False, "Loại đơn vị"),
            ("entity_code", "VARCHAR", False, "Mã đơn vị"),
            ("entity_name", "VARCHAR", False, "Đơn vị"),
            ("targets_carried", "INTEGER", False, "Số chỉ tiêu đảm nhận"),
            ("targets_on_track", "INTEGER", False, "Số chỉ tiêu đạt tiến độ"),
            ("attainment_score", "NUMERIC", False, "Điểm thực hiện"),
            ("reporting_score", "NUMERIC", False, "Điểm báo cáo"),
            ("total_score", "NUMERIC", False, "Tổng điểm"),
            ("rank", "INTEGER", False, "Thứ hạng (số)"),
            ("rank_vi", "VARCHAR", False, "Hạng"),
        ],
    },
}

# Datasets whose rows belong to one office: row-level security applies to them.
OFFICE_SCOPED_DATASETS = ("compliance", "quality")


def dataset_yaml(key: str, spec: dict[str, Any]) -> dict[str, Any]:
    columns = [
        {
            "column_name": name,
            "verbose_name": nfc(label),
            "is_dttm": is_dttm,
            "is_active": True,
            "type": col_type,
            "advanced_data_type": None,
            "groupby": True,
            "filterable": True,
            "expression": None,
            "description": None,
            "python_date_format": None,
            "datetime_format": None,
            "extra": {},
        }
        for name, col_type, is_dttm, label in spec["columns"]
    ]
    dttm = next((name for name, _, is_dttm, _ in spec["columns"] if is_dttm), None)
    return {
        "table_name": spec["table_name"],
        "main_dttm_col": dttm,
        "currency_code_column": None,
        "description": nfc(spec["description"]),
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "marts",
        "sql": spec["sql"],
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "folders": None,
        "uuid": uid(f"dataset/{key}"),
        "metrics": [
            {
                "metric_name": name,
                "verbose_name": nfc(label),
                "metric_type": metric_type,
                "expression": expression,
                "description": None,
                "d3format": None,
                "currency": None,
                "extra": {},
                "warning_text": None,
            }
            for name, expression, label, metric_type in [
                ("count", "COUNT(*)", "Số lượng", "count"),
                *((n, e, lbl, None) for n, e, lbl in spec.get("metrics", [])),
            ]
        ],
        "columns": columns,
        "version": VERSION,
        "database_uuid": uid("database/warehouse"),
    }


# ---------------------------------------------------------------- charts
def metric(sql: str, label: str) -> dict[str, Any]:
    label = nfc(label)
    return {
        "expressionType": "SQL",
        "sqlExpression": sql,
        "label": label,
        "hasCustomLabel": True,
        "optionName": "metric_" + uid(f"metric/{sql}/{label}").replace("-", "")[:12],
    }


def where(column: str, value: str | None) -> dict[str, Any]:
    return {
        "clause": "WHERE",
        "expressionType": "SIMPLE",
        "subject": column,
        "operator": "==",
        "operatorId": "EQUALS",
        "comparator": value,
        "isExtra": False,
        "isNew": False,
    }


def is_not_null(column: str) -> dict[str, Any]:
    return {**where(column, None), "operator": "IS NOT NULL", "operatorId": "IS_NOT_NULL"}


def colour_rules(column: str) -> list[dict[str, Any]]:
    return [
        {"column": column, "operator": "=", "targetValue": nfc(label), "colorScheme": colour, "useGradient": False}
        for label, colour in STATUS_COLOURS.items()
    ]


COUNT = metric("COUNT(*)", "Số chỉ tiêu")

CHARTS: list[dict[str, Any]] = []


def chart(key: str, name: str, dataset: str, viz: str, **params: Any) -> str:
    CHARTS.append({"key": key, "name": nfc(name), "dataset": dataset, "viz": viz, "params": params})
    return key


def area_charts(area: str, title: str) -> list[str]:
    return [
        chart(
            f"{area}_progress",
            f"{title}: lũy kế so với lộ trình đều và kế hoạch năm",
            "attainment",
            "echarts_timeseries_line",
            # the month as a date, written with the Vietnamese month names of D3_TIME_FORMAT: Tháng 5/2022
            x_axis="as_of_date",
            metrics=[
                metric("MAX(actual_value)", "Lũy kế thực hiện"),
                metric("MAX(expected_value_now)", "Lộ trình đều"),
                metric("MAX(target_value)", "Kế hoạch năm"),
                metric("MAX(projected_year_end)", "Dự báo cuối năm"),
                metric("MAX(previous_year_value)", "Cùng kỳ năm trước"),
            ],
            groupby=[],
            adhoc_filters=[where("area", area)],
        ),
        chart(
            f"{area}_projection",
            f"{title}: dự báo cuối năm theo chỉ tiêu",
            "attainment",
            "table",
            query_mode="raw",
            all_columns=[
                "target_code",
                "name_vi",
                "unit",
                "target_value",
                "actual_value",
                "figure_kind_vi",
                "previous_year_value",
                "change_vs_previous_year",
                "expected_value_now",
                "projected_year_end",
                "office_year_estimate",
                "projected_month_reached_vi",
                "status_vi",
                "note_vi",
            ],
            adhoc_filters=[where("area", area)],
            order=[["sort_order", True]],
            conditional_formatting=colour_rules("status_vi"),
        ),
    ]


OVERVIEW = [
    chart(
        "overview_status_counts",
        "Số chỉ tiêu theo trạng thái và lĩnh vực",
        "attainment",
        "pivot_table_v2",
        groupbyRows=["area_vi"],
        groupbyColumns=["status_vi"],
        metrics=[COUNT],
    ),
    chart(
        "overview_targets",
        "Bảng tổng hợp 27 chỉ tiêu",
        "attainment",
        "table",
        query_mode="raw",
        all_columns=[
            "target_code",
            "name_vi",
            "target_value",
            "actual_value",
            "figure_kind_vi",
            "attainment_pct",
            "previous_year_value",
            "change_vs_previous_year",
            "status_vi",
            "projected_year_end",
            "note_vi",
        ],
        order=[["sort_order", True]],
        conditional_formatting=colour_rules("status_vi"),
    ),
]

ECONOMY = area_charts("kinh_te", "Kinh tế")
SOCIETY = area_charts("xa_hoi", "Xã hội")
ENVIRONMENT = area_charts("moi_truong", "Môi trường")

COMMUNES = [
    chart(
        "communes_laggards",
        "Xã, thị trấn xếp cuối theo từng chỉ số",
        "communes",
        "table",
        query_mode="raw",
        all_columns=[
            "admin_unit_name",
            "indicator_name",
            "unit",
            "value_ytd",
            "ratio_pct",
            "share_of_district_pct",
            "rank_in_district",
        ],
        # rank_in_district is null where ranking would be by size (population, amounts):
        # those rows are left out, the weakest ranked units come first
        adhoc_filters=[is_not_null("rank_in_district")],
        order=[["rank_in_district", False], ["indicator_name", True]],
    ),
    chart(
        "communes_matrix",
        "Xã, thị trấn × chỉ số (lũy kế)",
        "communes",
        "pivot_table_v2",
        groupbyRows=["admin_unit_name"],
        groupbyColumns=["indicator_name"],
        metrics=[metric("MAX(value_ytd)", "Lũy kế")],
    ),
]

REPORTING = [
    chart(
        "reporting_compliance",
        "Tình hình nộp báo cáo theo phòng, ban",
        "compliance",
        "pivot_table_v2",
        groupbyRows=["office_name"],
        groupbyColumns=["compliance_status_vi"],
        metrics=[metric("COUNT(*)", "Số báo cáo")],
    ),
    chart(
        "reporting_late",
        "Báo cáo trễ hạn, chưa nộp và tệp bị từ chối",
        "compliance",
        "table",
        query_mode="raw",
        all_columns=[
            "office_name",
            "indicator_name",
            "period_label_vi",
            "due_date",
            "compliance_status_vi",
            "days_late",
            "units_missing",
            "missing_units_vi",
            "rejected_files",
            "last_rejection_reason",
        ],
        order=[["days_late", False]],
    ),
    chart(
        "reporting_rejected_files",
        "Tệp bị từ chối và lý do",
        "quality",
        "table",
        query_mode="raw",
        all_columns=["office_name", "original_name", "received_at", "status_vi", "severity_vi", "message_vi"],
        adhoc_filters=[where("status", "quarantined")],
        order=[["received_at", False]],
    ),
    chart(
        "reporting_warnings",
        "Cảnh báo chất lượng dữ liệu",
        "quality",
        "table",
        query_mode="raw",
        all_columns=["office_name", "original_name", "received_at", "message_vi"],
        adhoc_filters=[where("severity", "warning")],
        order=[["received_at", False]],
    ),
]

RANKING_METHOD_CSV = Path(__file__).resolve().parents[1] / "dbt" / "seeds" / "catalog" / "ranking_method.csv"


def ranking_method_vi(entity_type: str) -> str:
    """The ranking's method in Vietnamese, from the seed dbt also reads (marts column method_vi)."""
    with RANKING_METHOD_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["entity_type"] == entity_type]
    rows.sort(key=lambda r: (-float(r["weight"]), r["component"]))
    parts = [f"{r['name_vi']} (trọng số {round(100 * float(r['weight']))}%): {r['description_vi']}" for r in rows]
    return nfc(
        "Quyết định 10/PĐ-UBND không quy định công thức xếp hạng; đây là cách tính tham khảo của nền tảng. "
        + " ".join(parts)
    )


EMULATION = [
    chart(
        "emulation_communes",
        "Xếp hạng thi đua các xã, thị trấn (tham khảo)",
        "ranking",
        "table",
        query_mode="raw",
        # communes have no reporting score: their figures are sent by the offices
        all_columns=[
            "rank_vi",
            "entity_name",
            "targets_carried",
            "targets_on_track",
            "attainment_score",
            "total_score",
        ],
        adhoc_filters=[where("entity_type", "xa")],
        order=[["rank", True]],
        description=ranking_method_vi("xa"),
    ),
    chart(
        "emulation_offices",
        "Xếp hạng thi đua các phòng, ban (tham khảo)",
        "ranking",
        "table",
        query_mode="raw",
        all_columns=[
            "rank_vi",
            "entity_name",
            "targets_carried",
            "targets_on_track",
            "attainment_score",
            "reporting_score",
            "total_score",
        ],
        adhoc_filters=[where("entity_type", "phong")],
        order=[["rank", True]],
        description=ranking_method_vi("phong"),
    ),
]


def simple_filter(f: dict[str, Any]) -> dict[str, Any]:
    return {"col": f["subject"], "op": f["operator"], "val": f["comparator"]}


NUMBER_FORMAT = ",.2~f"  # with the Vietnamese D3 locale: 17.600 and 8,5


def number_formats(dataset: str, columns: list[str]) -> dict[str, dict[str, str]]:
    """Vietnamese separators for numeric columns (the table's default ignores the locale)."""
    types = {name: col_type for name, col_type, _, _ in DATASETS[dataset]["columns"]}
    formats = {"NUMERIC": NUMBER_FORMAT, "INTEGER": ",d", "BIGINT": "d"}
    return {c: {"d3NumberFormat": formats[types[c]]} for c in columns if types[c] in formats}


def chart_params(spec: dict[str, Any], dataset_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Form data (what Explore edits) and the saved query context (what the data API runs)."""
    p = dict(spec["params"])
    viz = spec["viz"]
    adhoc = p.pop("adhoc_filters", [])
    order = p.pop("order", [])
    form: dict[str, Any] = {
        "datasource": f"{dataset_id}__table",
        "viz_type": viz,
        "adhoc_filters": adhoc,
        "row_limit": 1000,
        "annotation_layers": [],
    }
    query: dict[str, Any] = {
        "filters": [simple_filter(f) for f in adhoc],
        "extras": {"having": "", "where": ""},
        "applied_time_extras": {},
        "row_limit": 1000,
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "annotation_layers": [],
    }
    if viz == "table":
        form.update(
            query_mode="raw",
            all_columns=p["all_columns"],
            order_by_cols=[json.dumps(o) for o in order],
            server_pagination=False,
            include_search=True,
            show_cell_bars=False,
            color_pn=False,
            table_timestamp_format="%d/%m/%Y",
            conditional_formatting=p.get("conditional_formatting", []),
            column_config=number_formats(spec["dataset"], p["all_columns"]),
        )
        query.update(columns=p["all_columns"], metrics=None, orderby=order)
    elif viz == "pivot_table_v2":
        form.update(
            groupbyRows=p["groupbyRows"],
            groupbyColumns=p["groupbyColumns"],
            metrics=p["metrics"],
            aggregateFunction="Sum",
            valueFormat=",d" if p["metrics"][0]["sqlExpression"] == "COUNT(*)" else NUMBER_FORMAT,
            metricsLayout="COLUMNS",
            rowOrder="key_a_to_z",
            colOrder="key_a_to_z",
            rowTotals=True,
            colTotals=True,
            transposePivot=False,
            combineMetric=False,
        )
        query.update(
            columns=p["groupbyRows"] + p["groupbyColumns"],
            metrics=p["metrics"],
            orderby=[[p["metrics"][0], False]],
        )
    elif viz == "echarts_timeseries_line":
        form.update(
            x_axis=p["x_axis"],
            time_grain_sqla="P1M",
            x_axis_time_format="%B/%Y",
            tooltipTimeFormat="%B/%Y",
            x_axis_sort_asc=True,
            metrics=p["metrics"],
            groupby=p["groupby"],
            y_axis_format=NUMBER_FORMAT,
            show_legend=True,
            markerEnabled=True,
            rich_tooltip=True,
            truncate_metric=True,
        )
        query.update(
            columns=[
                {
                    "timeGrain": "P1M",
                    "columnType": "BASE_AXIS",
                    "expressionType": "SQL",
                    "label": p["x_axis"],
                    "sqlExpression": p["x_axis"],
                }
            ],
            metrics=p["metrics"],
            orderby=order,
        )
    else:
        raise ValueError(f"no query builder for {viz}")
    form["slice_id"] = None
    context = {
        "datasource": {"id": dataset_id, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    }
    return form, context


def chart_yaml(spec: dict[str, Any]) -> dict[str, Any]:
    # Dataset ids are local placeholders: the importer rewrites them to the real ids.
    dataset_id = list(DATASETS).index(spec["dataset"]) + 1
    form, context = chart_params(spec, dataset_id)
    return {
        "slice_name": spec["name"],
        "description": nfc(spec["params"]["description"]) if spec["params"].get("description") else None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": spec["viz"],
        "params": form,
        "query_context": json.dumps(context, ensure_ascii=False),
        "cache_timeout": None,
        "uuid": uid(f"chart/{spec['key']}"),
        "version": VERSION,
        "dataset_uuid": uid(f"dataset/{spec['dataset']}"),
    }


# ---------------------------------------------------------------- dashboards
def native_filter(
    dash: str,
    key: str,
    name: str,
    dataset: str,
    column: str,
    *,
    first: bool = False,
    excluded: tuple[str, ...] | list[str] = (),
    ascending: bool | None = None,
    only: dict[str, str] | None = None,
    sort_metric: str | None = None,
) -> dict[str, Any]:
    """A select filter; ``first`` picks the first value (newest, unless ``ascending``) and
    requires one; ``only`` pre-filters the values offered (e.g. the targets of one area)."""
    config = {
        "id": f"NATIVE_FILTER-{dash}-{key}",
        "name": nfc(name),
        "filterType": "filter_select",
        "targets": [{"column": {"name": column}, "datasetUuid": uid(f"dataset/{dataset}")}],
        "controlValues": {
            "enableEmptyFilter": first,
            "defaultToFirstItem": first,
            "multiSelect": not first,
            "searchAllOptions": False,
            "inverseSelection": False,
            "sortAscending": (not first) if ascending is None else ascending,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": list(excluded)},
        "type": "NATIVE_FILTER",
        # With defaultToFirstItem the dashboard must wait for the filter before the charts.
        "requiredFirst": first,
        "description": "",
    }
    if only:
        config["adhoc_filters"] = [where(col, value) for col, value in only.items()]
    if sort_metric:  # the values are Vietnamese labels: sort them by the code behind them
        config["sortMetric"] = sort_metric
    return config


def year_month(dash: str, dataset: str, excluded: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        native_filter(dash, "year", "Năm kế hoạch", dataset, "plan_year", first=True, excluded=excluded),
        native_filter(
            dash,
            "month",
            "Tháng",
            dataset,
            "as_of_month_vi",
            first=True,
            excluded=excluded,
            sort_metric="latest_period",
        ),
    ]


DASHBOARDS: list[dict[str, Any]] = [
    {
        "key": "tong_quan",
        "title": "Tổng quan",
        "rows": [["overview_status_counts"], ["overview_targets"]],
        "filters": lambda: year_month("tong_quan", "attainment"),
    },
    *[
        {
            "key": key,
            "title": title,
            "rows": [[charts[0]], [charts[1]]],
            "filters": (
                lambda key=key, charts=charts: [
                    native_filter(key, "year", "Năm kế hoạch", "attainment", "plan_year", first=True),
                    native_filter(
                        key,
                        "month",
                        "Tháng",
                        "attainment",
                        "as_of_month_vi",
                        first=True,
                        excluded=[charts[0]],
                        sort_metric=LATEST_PERIOD[0],
                    ),
                    native_filter(
                        key,
                        "target",
                        "Chỉ tiêu",
                        "attainment",
                        "name_vi",
                        first=True,
                        excluded=[charts[1]],
                        ascending=True,
                        only={"area": key},
                        sort_metric=FIRST_IN_PLAN[0],
                    ),
                ]
            ),
        }
        for key, title, charts in (
            ("kinh_te", "Kinh tế", ECONOMY),
            ("xa_hoi", "Xã hội", SOCIETY),
            ("moi_truong", "Môi trường", ENVIRONMENT),
        )
    ],
    {
        "key": "theo_xa",
        "title": "Theo xã",
        "rows": [["communes_laggards"], ["communes_matrix"]],
        "filters": lambda: [
            *year_month("theo_xa", "communes"),
            native_filter("theo_xa", "commune", "Xã, thị trấn", "communes", "admin_unit_name"),
            native_filter("theo_xa", "indicator", "Chỉ số", "communes", "indicator_name"),
        ],
    },
    {
        "key": "tinh_hinh_bao_cao",
        "title": "Tình hình báo cáo",
        "rows": [["reporting_compliance"], ["reporting_late"], ["reporting_rejected_files", "reporting_warnings"]],
        "filters": lambda: [
            native_filter("tinh_hinh_bao_cao", "office", "Phòng, ban", "compliance", "office_name"),
        ],
    },
    {
        "key": "thi_dua",
        "title": "Thi đua",
        "rows": [["emulation_communes", "emulation_offices"]],
        "filters": lambda: year_month("thi_dua", "ranking"),
    },
]


def dashboard_yaml(spec: dict[str, Any], chart_ids: dict[str, int]) -> dict[str, Any]:
    by_key = {c["key"]: c for c in CHARTS}
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": nfc(spec["title"])}},
    }
    for n, row in enumerate(spec["rows"], start=1):
        row_id = f"ROW-{spec['key']}-{n}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for key in row:
            chart_id = f"CHART-{key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "width": 12 // len(row),
                    "height": 80 if by_key[key]["viz"] == "table" else 60,
                    "chartId": chart_ids[key],
                    "sliceName": by_key[key]["name"],
                    "uuid": uid(f"chart/{key}"),
                },
            }
    filters = spec["filters"]()
    for f in filters:
        f["scope"]["excluded"] = [chart_ids[k] for k in f["scope"]["excluded"]]
    return {
        "dashboard_title": nfc(spec["title"]),
        "description": None,
        "css": "",
        "slug": spec["key"].replace("_", "-"),
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": uid(f"dashboard/{spec['key']}"),
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": False,
            "chart_configuration": {},
            "global_chart_configuration": {
                "scope": {"rootPath": ["ROOT_ID"], "excluded": []},
                "chartsInScope": [],
            },
            "native_filter_configuration": filters,
        },
        "version": VERSION,
        "theme_uuid": None,
    }


def database_yaml() -> dict[str, Any]:
    return {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": DB_URL_PLACEHOLDER,
        "cache_timeout": None,
        "expose_in_sqllab": False,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "extra": {"allows_virtual_table_explore": True, "schemas_allowed_for_csv_upload": []},
        "impersonate_user": False,
        "configuration_method": "sqlalchemy_form",
        "uuid": uid("database/warehouse"),
        "version": VERSION,
    }


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else "_" for c in ascii_text).strip("_")


def bundle() -> dict[str, dict[str, Any]]:
    """Relative path → YAML document of every asset."""
    files: dict[str, dict[str, Any]] = {
        "metadata.yaml": {"version": VERSION, "type": "assets", "timestamp": "2022-02-11T00:00:00+00:00"},
        "databases/kho_du_lieu_van_quan.yaml": database_yaml(),
    }
    for key, spec in DATASETS.items():
        files[f"datasets/kho_du_lieu_van_quan/{spec['table_name']}.yaml"] = dataset_yaml(key, spec)
    chart_ids = {c["key"]: n for n, c in enumerate(CHARTS, start=1)}
    for spec in CHARTS:
        files[f"charts/{spec['key']}.yaml"] = chart_yaml(spec)
    for spec in DASHBOARDS:
        files[f"dashboards/{spec['key']}.yaml"] = dashboard_yaml(spec, chart_ids)
    return files


def dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write(out: Path = ASSETS_DIR) -> list[Path]:
    written = []
    for rel, doc in bundle().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(doc), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ASSETS_DIR
    print(f"wrote {len(write(target))} files under {target}")
