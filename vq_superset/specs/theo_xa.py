"""Dashboard "Theo xã": where communes stand on each indicator."""

from __future__ import annotations

from vq_superset.datasets import COMMUNES
from vq_superset.model import Chart, Dashboard, Filter, Metric, Where
from vq_superset.specs._common import year_month

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
    rows=((LAGGARDS,), (MATRIX,)),
    filters=(
        *year_month(COMMUNES),
        Filter("commune", "Xã, thị trấn", COMMUNES, "admin_unit_name"),
        Filter("indicator", "Chỉ số", COMMUNES, "indicator_name"),
    ),
)
