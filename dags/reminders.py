"""Reminders: every morning, e-mail each office the figures it owes and has not sent.

Reminders start a few days before each due date and continue daily while a figure is
overdue; one e-mail per office per day (a re-run of the same day sends nothing twice).
Mail goes through the Airflow connection ``smtp_default``.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from common.defaults import DEFAULT_ARGS, LOCAL_TZ, START_DATE, TAGS


@dag(
    dag_id="vanquan_reminders",
    schedule=CronTriggerTimetable("30 7 * * *", timezone=LOCAL_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "reporting"],
    params={
        "lead_days": Param(5, type="integer", minimum=0, maximum=60, description="days before the due date"),
        "as_of": Param(None, type=["null", "string"], format="date", description="YYYY-MM-DD; empty: the run's day"),
    },
    doc_md=__doc__,
)
def vanquan_reminders() -> None:
    @task(pool="warehouse")
    def send_reminders(params: dict | None = None, dag_run=None) -> dict[str, object]:
        """Compute, record and e-mail today's reminders (Vietnam's calendar day of the run)."""
        from datetime import date
        from zoneinfo import ZoneInfo

        from reporting import reminders

        params = params or {}
        if params.get("as_of"):
            as_of = date.fromisoformat(params["as_of"])
        else:
            as_of = dag_run.run_after.astimezone(ZoneInfo(LOCAL_TZ)).date()
        summary = reminders.run(as_of=as_of, lead_days=int(params.get("lead_days", reminders.DEFAULT_LEAD_DAYS)))
        return {
            "as_of": as_of.isoformat(),
            "offices_notified": summary.offices_notified,
            "offices_already_notified": summary.offices_skipped,
            "rows_written": summary.rows_written,
        }

    send_reminders()


vanquan_reminders()
