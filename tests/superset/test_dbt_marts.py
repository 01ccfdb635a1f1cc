"""The dashboards on the marts dbt really builds (not the hand-made ones): no chart fails.

Shares the session's Superset with test_dashboards.py: in a warehouse of its own it builds the
marts with dbt from the dbt engineer's hand-made figures, checks every chart, then puts the
hand-made marts back and empties the warehouse, so the order of the modules does not matter.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
import superset_marts
from conftest import Superset

from core import settings
from transform.dbt_runner import run_dbt

pytestmark = pytest.mark.e2e


@pytest.fixture()
def dbt_marts(superset: Superset, own_warehouse: Path) -> Iterator[None]:
    from tests.dbt import figures

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("set role vq_transformer")
        superset_marts.drop(cur)
        cur.execute("reset role")
    figures.load_baseline_and_first_quarter()
    run_dbt(["build", "--full-refresh"])
    yield
    superset_marts.create(conn)
    conn.close()


def test_every_chart_works_on_the_dbt_marts(superset: Superset, login, dbt_marts, admin_conn) -> None:
    client = login()
    errors = {}
    for chart in client.charts():
        result = client.chart_data(chart["id"], force=True)["result"][0]
        if result.get("error"):
            errors[chart["slice_name"]] = result["error"]
        if chart["slice_name"] == "Số chỉ tiêu theo trạng thái và lĩnh vực":
            counts = {(r["area_vi"], r["status_vi"]): r["Số chỉ tiêu"] for r in result["data"]}
    assert errors == {}
    with admin_conn.cursor() as cur:
        cur.execute(
            "select t.area_vi, a.status_vi, count(*) from marts.fct_target_attainment as a"
            " join marts.dim_target as t using (plan_year, target_code) group by 1, 2"
        )
        assert counts == {(area, status): n for area, status, n in cur.fetchall()}
    assert sum(counts.values()) > 0
