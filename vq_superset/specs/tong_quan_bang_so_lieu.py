"""Dashboard "Tổng quan - bảng số liệu": the numbers behind "Tổng quan", for those who want them."""

from __future__ import annotations

from vq_superset.datasets import ATTAINMENT
from vq_superset.model import Chart, Dashboard, Metric
from vq_superset.specs._common import year_month

TARGETS = Chart(
    key="overview_targets",
    uuid="c198c0f9-b307-55df-99cf-a65f01c5b330",
    name="Bảng tổng hợp 27 chỉ tiêu",
    dataset=ATTAINMENT,
    viz="table",
    params={
        "columns": (
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
        ),
        "order": (("sort_order", True),),
        "status_column": "status_vi",
    },
    height=120,
)

STATUS_MATRIX = Chart(
    key="overview_status_matrix",
    uuid="63f16724-ca87-4155-a262-31c3d2b442c2",
    name="Bảng số chỉ tiêu theo trạng thái và lĩnh vực",
    dataset=ATTAINMENT,
    viz="pivot_table_v2",
    params={"rows": ("area_vi",), "columns": ("status_vi",), "metrics": (Metric("COUNT(*)", "Số chỉ tiêu"),)},
    height=30,
)

DASHBOARD = Dashboard(
    key="tong_quan_bang_so_lieu",
    uuid="ec59fc32-c887-41d3-9706-f8dfeff93ef1",
    title="Tổng quan - bảng số liệu",
    rows=((STATUS_MATRIX,), (TARGETS,)),
    filters=year_month(ATTAINMENT),
)
