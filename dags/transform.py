"""Transform: when new raw figures land, rebuild what they touch with dbt, then check the marts.

One ``dbt build`` task (threads from the profile) builds only the models and data tests
downstream of the loaded sources (``source:raw+ source:audit+``): one dbt start-up instead of
one per model, which is most of the time a new file waits for the dashboards. dbt's unit
tests are left out of it (no load can change what they check; CI runs them). On a warehouse
where the marts were never built, it builds everything once, unit tests included. The
selection lives in ``transform.builds``, which the benchmark runs too. Each model's and
test's result is written to the task log from dbt's ``run_results.json``, failures first. A
nightly DAG (``full_checks.py``) runs every test on every row. The Great Expectations mart
suite runs last and publishes the marts Asset only when the marts pass.
"""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
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

FIRST_BUILD_PROBE = "marts.fct_target_attainment"


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
    @task(pool="warehouse", retries=1)
    def dbt_build() -> str:
        """Build the models the new figures touch and run their tests; log every result."""
        import logging

        import psycopg2

        from core import settings
        from transform.builds import build_args, run_logged

        with psycopg2.connect(**settings.role_dsn("transformer")) as conn, conn.cursor() as cur:
            cur.execute("select to_regclass(%s) is not null", (FIRST_BUILD_PROBE,))
            marts_exist = bool(cur.fetchone()[0])
        conn.close()
        args = build_args(marts_exist)
        run_logged(args, logging.getLogger("airflow.task"))
        return " ".join(args)

    @task(outlets=[MARTS])
    def validate_marts() -> None:
        """Run the Great Expectations mart suite; raises if a mart breaks a rule."""
        from transform.marts import validate_marts as run_suite

        run_suite()

    dbt_build() >> validate_marts()


vanquan_transform()
