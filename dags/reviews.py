"""Reviews: the leadership review pack (Excel workbook and PDF) from the marts.

Scheduled for the mid-year review (sơ kết, 30 June, as of June) and the year-end review
(tổng kết, 31 December, as of December); trigger it by hand with ``as_of`` (YYYY-MM) for
any month. The pack is built from what has arrived: figures not yet due or missing do not
fail the run, they are listed with the office that owes them.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import MultipleCronTriggerTimetable
from common.defaults import DEFAULT_ARGS, LOCAL_TZ, START_DATE, TAGS


@dag(
    dag_id="vanquan_reviews",
    schedule=MultipleCronTriggerTimetable("0 17 30 6 *", "0 17 31 12 *", timezone=LOCAL_TZ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "reporting"],
    params={
        "as_of": Param(
            None,
            type=["null", "string"],
            pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
            description="YYYY-MM; empty: the month of the run",
        ),
        "plan_year": Param(None, type=["null", "integer"], description="empty: the year of as_of"),
    },
    doc_md=__doc__,
)
def vanquan_reviews() -> None:
    @task(pool="warehouse")
    def build_review_pack(params: dict | None = None, dag_run=None) -> dict[str, object]:
        """Build the workbook and the PDF under <PLATFORM_HOME>/reports/<plan_year>-<as_of>/."""
        from zoneinfo import ZoneInfo

        from reporting import review_pack

        params = params or {}
        as_of = params.get("as_of") or dag_run.run_after.astimezone(ZoneInfo(LOCAL_TZ)).strftime("%Y-%m")
        pack = review_pack.build(as_of, plan_year=params.get("plan_year"))
        return {
            "workbook": str(pack.workbook),
            "pdf": str(pack.pdf),
            "targets": pack.targets,
            "at_risk": pack.at_risk,
            "missing_figures": pack.missing,
        }

    build_review_pack()


vanquan_reviews()
