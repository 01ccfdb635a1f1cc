"""Dashboard latency: the SQL the overview and commune charts run, as Superset's reader.

The chart data API builds its query from the chart's saved ``query_context`` over the
dataset's SQL (a virtual dataset: the SQL becomes a sub-query). This module builds that
same query from ``superset/assets`` and times it on PostgreSQL as ``vq_reader``, one new
connection per request (Superset's default engine does not pool): the figures are the
database's share of a chart request, without Superset's own overhead.
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg2
import yaml

from bench.stats import Sample, timed
from ingest import settings

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


def measure(requests: int) -> dict[str, dict[str, float]]:
    """Median and p95 per chart over ``requests`` requests (one warm-up each, not counted)."""
    out: dict[str, dict[str, float]] = {}
    for name, chart_file in CHARTS.items():
        sql = chart_sql(chart_file)
        sample = Sample()
        rows = 0
        for index in range(requests + 1):
            elapsed, rows = timed(lambda sql=sql: _request(sql))
            if index:
                sample.runs.append(elapsed)
        out[name] = {"median_ms": sample.median * 1000, "p95_ms": sample.p95() * 1000, "rows": rows}
    return out
