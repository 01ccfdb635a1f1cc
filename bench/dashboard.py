"""Dashboard latency: Superset's chart data API, and the SQL share of it, per chart.

Two measurements per chart. ``measure_api`` asks a running Superset (started on the
benchmark's state folder with the assets imported) for the chart's data with
``force=true``, so every request misses the cache and runs the query: what a leader waits
for right after new figures land. ``measure`` times the query alone: the chart data API
builds it from the chart's saved ``query_context`` over the dataset's SQL (a virtual
dataset: the SQL becomes a sub-query); this module builds the same query from
``superset/assets`` and runs it on PostgreSQL as ``vq_reader``, one new connection per
request (Superset's default engine does not pool).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg2
import yaml

from bench.stats import Sample, timed
from core import settings

if TYPE_CHECKING:
    from runtime.superset_api import SupersetClient

ASSETS = settings.REPO_ROOT / "superset" / "assets"
CHARTS = {"overview": "overview_targets", "overview_status": "overview_status_counts", "commune": "communes_matrix"}


def _dataset_sql(uuid: str) -> str:
    for path in (ASSETS / "datasets").rglob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("uuid") == uuid:
            return doc["sql"]
    raise LookupError(f"no dataset {uuid} under {ASSETS}")


def _expr(item: object) -> str:
    if isinstance(item, dict):
        return item["sqlExpression"]
    return f'"{item}"'


def chart_sql(chart_file: str, assets: Path = ASSETS) -> str:
    """The query of the chart's saved query context, over its dataset as a sub-query."""
    chart = yaml.safe_load((assets / "charts" / f"{chart_file}.yaml").read_text(encoding="utf-8"))
    query = json.loads(chart["query_context"])["queries"][0]
    columns = [_expr(c) for c in query.get("columns") or []]
    metrics = [_expr(m) for m in query.get("metrics") or []]
    select = ", ".join(columns + metrics) or "*"
    sql = f"select {select} from ({_dataset_sql(chart['dataset_uuid'])}) as virtual_table"  # noqa: S608 - our assets
    if metrics and columns:
        sql += " group by " + ", ".join(columns)
    orders = [f"{_expr(col)} {'asc' if asc else 'desc'}" for col, asc in query.get("orderby") or []]
    if orders:
        sql += " order by " + ", ".join(orders)
    return sql + f" limit {int(query.get('row_limit') or 1000)}"


def _request(sql: str) -> int:
    conn = psycopg2.connect(**settings.role_dsn("reader"))
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
            return len(cur.fetchall())
    finally:
        conn.close()


def _latency(request: Callable[[], int], requests: int) -> dict[str, float]:
    """Median and p95 of ``requests`` calls of ``request`` (which returns its row count), after one warm-up."""
    sample = Sample()
    rows = 0
    for index in range(requests + 1):
        elapsed, rows = timed(request)
        if index:
            sample.runs.append(elapsed)
    return {"median_ms": sample.median * 1000, "p95_ms": sample.p95() * 1000, "rows": rows}


def measure(requests: int) -> dict[str, dict[str, float]]:
    """The chart's query alone, per chart."""
    return {name: _latency(partial(_request, chart_sql(chart_file)), requests) for name, chart_file in CHARTS.items()}


def slice_name(chart_file: str, assets: Path = ASSETS) -> str:
    chart = yaml.safe_load((assets / "charts" / f"{chart_file}.yaml").read_text(encoding="utf-8"))
    return str(chart["slice_name"])


@contextlib.contextmanager
def superset_running() -> Iterator[SupersetClient]:
    """Superset on a free port of this machine, over the benchmark's warehouse; yields a logged-in client."""
    from bench.env import free_port
    from runtime import superset_service
    from runtime.superset_api import SupersetClient

    saved = os.environ.get("SUPERSET_PORT")
    os.environ["SUPERSET_PORT"] = str(free_port())
    try:
        superset_service.setup()
        superset_service.import_assets()
        superset_service.start()
        try:
            yield SupersetClient.login("admin", "admin", url=superset_service.url())
        finally:
            superset_service.stop()
    finally:
        if saved is None:
            os.environ.pop("SUPERSET_PORT", None)
        else:
            os.environ["SUPERSET_PORT"] = saved


def measure_api(client: SupersetClient, requests: int) -> dict[str, dict[str, float]]:
    """The chart data API per chart, cache bypassed."""
    ids = {chart["slice_name"]: chart["id"] for chart in client.charts()}

    def rowcount(chart_id: int) -> int:
        return int(client.chart_data(chart_id, force=True)["result"][0]["rowcount"])

    return {
        name: _latency(partial(rowcount, ids[slice_name(chart_file)]), requests) for name, chart_file in CHARTS.items()
    }
