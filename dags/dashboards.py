"""Dashboards: when the marts change, refresh what Superset caches, for every role that has
row-level security (each office's scoped charts are cached apart from the leaders')."""

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
        """Ask Superset for every chart's data with force=true as the service user, then for the
        row-level-secured charts as each office's warm-up user; returns the service user's count
        (every chart); the log names each user's."""
        from vq_superset.warmup import warm_from_settings

        warmed = warm_from_settings()
        for username, count in warmed.items():
            print(f"warmed {count} charts as {username}")
        return next(iter(warmed.values()))

    warm_superset_cache()


vanquan_dashboards()
