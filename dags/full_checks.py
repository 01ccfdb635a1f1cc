"""Full checks: every night, every dbt test on every row of the history, unit tests included.

A load's build tests only the raw rows it takes in and leaves dbt's unit tests out (see
``transform.builds``), so that a dropped file reaches the dashboards in seconds. This DAG is
the other half of that bargain: once a night it runs every data test on all the figures
ever loaded, and every unit test, so a row that slipped past a load's window, or a change of
the SQL, is reported by the morning. It rebuilds nothing; a failure alerts the engineers.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from common.defaults import DEFAULT_ARGS, LOCAL_TZ, START_DATE, TAGS


@dag(
    dag_id="vanquan_full_checks",
    schedule=CronTriggerTimetable("30 1 * * *", timezone=LOCAL_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "dbt"],
    doc_md=__doc__,
)
def vanquan_full_checks() -> None:
    @task(pool="warehouse")
    def dbt_test_everything() -> str:
        """Run every dbt test on every row; log each result, failures first."""
        import logging

        from transform.builds import full_check_args, run_logged

        args = full_check_args()
        run_logged(args, logging.getLogger("airflow.task"))
        return " ".join(args)

    dbt_test_everything()


vanquan_full_checks()
