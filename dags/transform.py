"""Transform: when new raw figures land, rebuild the marts with dbt, then check them.

dbt runs through astronomer-cosmos (one Airflow task per model, its tests right after it),
rendered from the manifest that `make` builds ahead of time, so parsing this file stays cheap.
The Great Expectations mart suite runs last and fails the run loudly if a mart is wrong.
"""

from __future__ import annotations

from pathlib import Path

from airflow.sdk import Asset, dag, task
from common.dbt import dbt_task_group
from common.defaults import (
    DEFAULT_ARGS,
    MARTS_ASSET_NAME,
    MARTS_ASSET_URI,
    RAW_ASSET_NAME,
    RAW_ASSET_URI,
    START_DATE,
    TAGS,
)

RAW_FIGURES = Asset(name=RAW_ASSET_NAME, uri=RAW_ASSET_URI)
MARTS = Asset(name=MARTS_ASSET_NAME, uri=MARTS_ASSET_URI)
REPO_ROOT = Path(__file__).resolve().parent.parent


@dag(
    dag_id="vanquan_transform",
    schedule=[RAW_FIGURES],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "dbt"],
    doc_md=__doc__,
)
def vanquan_transform() -> None:
    dbt = dbt_task_group(REPO_ROOT)

    @task(outlets=[MARTS])
    def validate_marts() -> None:
        """Run the Great Expectations mart suite; raises if a mart breaks a rule."""
        from transform.marts import validate_marts as run_suite

        run_suite()

    dbt >> validate_marts()


vanquan_transform()
