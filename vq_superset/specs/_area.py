"""The three area dashboards (Kinh tế, Xã hội, Môi trường) have one shape: first what a leader
takes in at a glance (each target of the area as a tile: progress towards the target, pace,
status colour; beside it a chosen target's year-to-date line against its pace, target and
previous year), then the area's table one scroll below for those who want the numbers."""

from __future__ import annotations

from vq_superset.datasets import ATTAINMENT, FIRST_IN_PLAN, LATEST_PERIOD
from vq_superset.model import Chart, Dashboard, Filter, Metric, Where

PROGRESS_METRICS = (
    Metric("MAX(actual_value)", "Lũy kế thực hiện"),
    Metric("MAX(expected_value_now)", "Lộ trình đều"),
    Metric("MAX(target_value)", "Kế hoạch năm"),
    Metric("MAX(projected_year_end)", "Dự báo cuối năm"),
    Metric("MAX(previous_year_value)", "Cùng kỳ năm trước"),
)


def progress_chart(key: str, uuid: str, name: str, where: tuple[Where, ...] = (), height: int | None = None) -> Chart:
    """The line chart: months as dates written with Vietnamese month names (Tháng 5/2022)."""
    return Chart(
        key=key,
        uuid=uuid,
        name=name,
        dataset=ATTAINMENT,
        viz="echarts_timeseries_line",
        params={"x_axis": "as_of_date", "metrics": PROGRESS_METRICS},
        where=where,
        height=height,
    )


def tiles(key: str, uuid: str, name: str, area: str, height: int = 150) -> Chart:
    """One HTML tile per target of the area (datasets.TARGET_TILE): progress, pace, status colour."""
    return Chart(
        key=key,
        uuid=uuid,
        name=name,
        dataset=ATTAINMENT,
        viz="table",
        params={"columns": ("tile_html",), "order": (("sort_order", True),), "search": False},
        where=(Where("area", area),),
        height=height,
    )


def area_dashboard(
    area: str, title: str, *, uuid: str, tiles_uuid: str, progress_uuid: str, projection_uuid: str
) -> Dashboard:
    scorecard = tiles(f"{area}_tiles", tiles_uuid, f"{title}: tiến độ từng chỉ tiêu so với kế hoạch năm", area, 100)
    progress = progress_chart(
        f"{area}_progress",
        progress_uuid,
        f"{title}: lũy kế so với lộ trình đều và kế hoạch năm",
        (Where("area", area),),
        height=100,
    )
    projection = Chart(
        key=f"{area}_projection",
        uuid=projection_uuid,
        name=f"{title}: dự báo cuối năm theo chỉ tiêu",
        dataset=ATTAINMENT,
        viz="table",
        params={
            "columns": (
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
            ),
            "order": (("sort_order", True),),
            "status_column": "status_vi",
        },
        where=(Where("area", area),),
    )
    return Dashboard(
        key=area,
        uuid=uuid,
        title=title,
        rows=((scorecard, progress), (projection,)),
        filters=(
            Filter("year", "Năm kế hoạch", ATTAINMENT, "plan_year", first=True),
            Filter(
                "month",
                "Tháng",
                ATTAINMENT,
                "as_of_month_vi",
                first=True,
                excluded=(progress,),  # the line runs over the months
                sort_metric=LATEST_PERIOD.name,
            ),
            Filter(
                "target",
                "Chỉ tiêu",
                ATTAINMENT,
                "name_vi",
                first=True,
                applies_to=(progress,),  # the tiles and the table show every target
                ascending=True,
                only=(Where("area", area),),
                sort_metric=FIRST_IN_PLAN.name,
            ),
        ),
    )
