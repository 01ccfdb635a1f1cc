"""Pieces several dashboards share: the year and month filters, ranked bars (the communes',
the emulation clusters') and the offices' timeliness heat map."""

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


def ranked_bars(
    key: str,
    uuid: str,
    name: str,
    dataset: Dataset,
    category: str,
    metric: Metric,
    description: str | None = None,
) -> Chart:
    """Units as horizontal bars ranked on one metric, the largest on top: a leader reads the
    order at a glance (horizontal bars start at the bottom, hence ascending)."""
    return Chart(
        key=key,
        uuid=uuid,
        name=name,
        dataset=dataset,
        viz="echarts_timeseries_bar",
        params={"x_axis": category, "metrics": (metric,), "horizontal": True, "ranked": True, "ascending": True},
        description=description,
        height=70,
    )


def communes_ranked(key: str, uuid: str, name: str) -> Chart:
    """The communes on the chosen indicator (year to date, or its rate)."""
    return ranked_bars(
        key,
        uuid,
        name,
        COMMUNES,
        "admin_unit_name",
        Metric("MAX(coalesce(ratio_pct, value_ytd))", "Lũy kế (hoặc tỷ lệ %)"),
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
