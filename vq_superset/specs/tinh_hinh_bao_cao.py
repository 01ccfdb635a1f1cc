"""Dashboard "Tình hình báo cáo": who reported on time, what is late or missing, what was refused.

First what is seen at a glance: reporting on time as a heat map by office and month due, and
each office's reports by status as coloured bars; the tables (counts, what is late or missing,
refused files, warnings) are the rows below. Its datasets are office-scoped: row-level
security shows office staff their own office only.
"""

from __future__ import annotations

from vq_superset.datasets import COMPLIANCE, QUALITY
from vq_superset.model import Chart, Dashboard, Filter, Metric, Where
from vq_superset.specs._common import timeliness_heatmap

TIMELINESS = timeliness_heatmap(
    "reporting_heatmap",
    "7d7b26c2-a07a-4446-9664-90ce43242e2c",
    "Nộp đúng hạn theo phòng, ban và tháng đến hạn (%)",
)

STATUS_BARS = Chart(
    key="reporting_status_bars",
    uuid="d8e11385-0ddb-45ea-b6d6-3c27143b4bdc",
    name="Số báo cáo của từng phòng, ban theo tình trạng",
    dataset=COMPLIANCE,
    viz="echarts_timeseries_bar",
    params={
        "x_axis": "office_name",
        "groupby": ("compliance_status_vi",),
        "metrics": (Metric("COUNT(*)", "Số báo cáo"),),
        "stacked": True,
        "horizontal": True,
    },
    height=70,
)

BY_OFFICE = Chart(
    key="reporting_compliance",
    uuid="9b8c0669-7c92-504f-b840-d2af90d64348",
    name="Tình hình nộp báo cáo theo phòng, ban",
    dataset=COMPLIANCE,
    viz="pivot_table_v2",
    params={
        "rows": ("office_name",),
        "columns": ("compliance_status_vi",),
        "metrics": (Metric("COUNT(*)", "Số báo cáo"),),
    },
)

LATE = Chart(
    key="reporting_late",
    uuid="0ea913a0-54f4-54bd-8ab7-e4d9ddea130a",
    name="Báo cáo trễ hạn, chưa nộp và tệp bị từ chối",
    dataset=COMPLIANCE,
    viz="table",
    params={
        "columns": (
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
        ),
        "order": (("days_late", False),),
    },
)

REJECTED = Chart(
    key="reporting_rejected_files",
    uuid="1533eaa2-25c9-51b1-b9cd-04c4afa28852",
    name="Tệp bị từ chối và lý do",
    dataset=QUALITY,
    viz="table",
    params={
        "columns": ("office_name", "original_name", "received_at", "status_vi", "severity_vi", "message_vi"),
        "order": (("received_at", False),),
    },
    where=(Where("status", "quarantined"),),
)

WARNINGS = Chart(
    key="reporting_warnings",
    uuid="dbc0f26d-32f8-52ec-a214-f49e23b2d3a2",
    name="Cảnh báo chất lượng dữ liệu",
    dataset=QUALITY,
    viz="table",
    params={
        "columns": ("office_name", "original_name", "received_at", "message_vi"),
        "order": (("received_at", False),),
    },
    where=(Where("severity", "warning"),),
)

DASHBOARD = Dashboard(
    key="tinh_hinh_bao_cao",
    uuid="406dfde2-af5d-5c7a-a576-e6e294f461ab",
    title="Tình hình báo cáo",
    rows=((TIMELINESS, STATUS_BARS), (BY_OFFICE,), (LATE,), (REJECTED, WARNINGS)),
    filters=(Filter("office", "Phòng, ban", COMPLIANCE, "office_name"),),
)
