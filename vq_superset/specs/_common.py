"""Pieces several dashboards share: the year and month filters, the communes' ranked bars and
the offices' timeliness heat map."""

from __future__ import annotations

from vq_superset.datasets import COMMUNES, COMPLIANCE, LATEST_PERIOD
from vq_superset.model import Chart, Dataset, Filter, Metric


def year_month(dataset: Dataset, excluded: tuple[Chart, ...] = ()) -> tuple[Filter, Filter]:
    """Plan year and month, each defaulting to the newest; months sorted by their code."""
    return (
        Filter("year", "Năm kế hoạch", dataset, "plan_year", first=True, excluded=excluded),
        Filter(
            "month",
            "Tháng",
            dataset,
            "as_of_month_vi",
            first=True,
            excluded=excluded,
            sort_metric=LATEST_PERIOD.name,
        ),
    )


def communes_ranked(key: str, uuid: str, name: str) -> Chart:
    """The communes as horizontal bars on the chosen indicator (year to date, or its rate)."""
    return Chart(
        key=key,
        uuid=uuid,
        name=name,
        dataset=COMMUNES,
        viz="echarts_timeseries_bar",
        params={
            "x_axis": "admin_unit_name",
            "metrics": (Metric("MAX(coalesce(ratio_pct, value_ytd))", "Lũy kế (hoặc tỷ lệ %)"),),
            "horizontal": True,
            "ranked": True,
            "ascending": True,  # horizontal bars start at the bottom: the largest ends on top
        },
        height=70,
    )


def timeliness_heatmap(key: str, uuid: str, name: str) -> Chart:
    """On-time reporting (%) by office and month due."""
    return Chart(
        key=key,
        uuid=uuid,
        name=name,
        dataset=COMPLIANCE,
        viz="heatmap_v2",
        params={
            "x_axis": "due_month",
            "y_axis": "office_name",
            "metric": Metric("AVG(on_time_pct)", "Nộp đúng hạn (%)"),
        },
        height=70,
    )
