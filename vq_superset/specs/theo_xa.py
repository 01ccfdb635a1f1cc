"""Dashboard "Theo xã": where communes stand on each indicator.

First the communes ranked on a chosen indicator (bars a leader reads at a glance); the tables
(the weakest communes per indicator, every commune × indicator) are the rows below.
"""

from __future__ import annotations

from vq_superset.datasets import COMMUNES
from vq_superset.model import Chart, Dashboard, Filter, Metric, Where
from vq_superset.specs._common import communes_ranked, year_month

RANKED = communes_ranked(
    "communes_ranked",
    "e51be27e-ed74-4373-9bbe-55f78a52b417",
    "Các xã, thị trấn theo chỉ số được chọn (lũy kế hoặc tỷ lệ %)",
)

LAGGARDS = Chart(
    key="communes_laggards",
    uuid="f8359426-6cd6-573a-a6e2-f33c0d3ea39c",
    name="Xã, thị trấn xếp cuối theo từng chỉ số",
    dataset=COMMUNES,
    viz="table",
    params={
        "columns": (
            "admin_unit_name",
            "indicator_name",
            "unit",
            "value_ytd",
            "ratio_pct",
            "share_of_district_pct",
            "rank_in_district",
        ),
        # the weakest ranked units first
        "order": (("rank_in_district", False), ("indicator_name", True)),
    },
    # rank_in_district is null where ranking would be by size (population, amounts)
    where=(Where("rank_in_district", op="IS NOT NULL"),),
)

MATRIX = Chart(
    key="communes_matrix",
    uuid="61e72f24-9fa1-5eef-a2bd-1931ac16d101",
    name="Xã, thị trấn × chỉ số (lũy kế)",
    dataset=COMMUNES,
    viz="pivot_table_v2",
    params={
        "rows": ("admin_unit_name",),
        "columns": ("indicator_name",),
        "metrics": (Metric("MAX(value_ytd)", "Lũy kế"),),
    },
)

DASHBOARD = Dashboard(
    key="theo_xa",
    uuid="878c86d3-9995-5f4e-a7d3-a750a2d9acb0",
    title="Theo xã",
    rows=((RANKED,), (LAGGARDS,), (MATRIX,)),
    filters=(
        *year_month(COMMUNES),
        Filter(
            "ranked_indicator", "Chỉ số (biểu đồ so sánh)", COMMUNES, "indicator_name", first=True, applies_to=(RANKED,)
        ),
        Filter("commune", "Xã, thị trấn", COMMUNES, "admin_unit_name"),
        Filter("indicator", "Chỉ số (các bảng)", COMMUNES, "indicator_name", excluded=(RANKED,)),
    ),
)
