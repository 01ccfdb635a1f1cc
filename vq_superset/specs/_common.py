"""Pieces several dashboards share: the year and month filters."""

from __future__ import annotations

from vq_superset.datasets import LATEST_PERIOD
from vq_superset.model import Chart, Dataset, Filter


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
