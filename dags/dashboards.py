"""Dashboards: when the marts change, refresh what Superset caches."""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
from common.defaults import DEFAULT_ARGS, MARTS_ASSET_NAME, MARTS_ASSET_URI, START_DATE, TAGS

MARTS = Asset(name=MARTS_ASSET_NAME, uri=MARTS_ASSET_URI)


@dag(
    dag_id="vanquan_dashboards",
    schedule=[MARTS],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "superset"],
    doc_md=__doc__,
)
def vanquan_dashboards() -> None:
    @task
    def warm_superset_cache() -> int:
        """Ask Superset for every chart's data with force=true; returns how many charts."""
        from vq_superset.client import service_client

        return service_client().warm_all_charts()

    warm_superset_cache()


vanquan_dashboards()
