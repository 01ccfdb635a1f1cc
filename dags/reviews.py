"""Reviews: the leadership review pack (Excel workbook and PDF) from the marts.

Scheduled for the mid-year review (sơ kết, 30 June, as of June) and the year-end review
(tổng kết, 31 December, as of December); trigger it by hand with ``as_of`` (YYYY-MM) for
any month. The pack is built from what has arrived: figures not yet due or missing do not
fail the run, they are listed with the office that owes them.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from airflow.timetables.trigger import MultipleCronTriggerTimetable
from common.approval import ANSWER_KEY, RecordedApprovalOperator
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

    draft = build_review_pack()
    # Phòng Nội vụ approves the draft before the leaders get it (reporting/review_approval.py).
    noivu_approval = RecordedApprovalOperator(
        task_id="noivu_approval",
        subject="Phòng Nội vụ duyệt bản dự thảo báo cáo trước khi gửi lãnh đạo",
        body="Bản dự thảo: {{ ti.xcom_pull(task_ids='build_review_pack')['workbook'] }}. Duyệt (Approve) để gửi "
        "lãnh đạo; trả lại (Reject) kèm ý kiến cần sửa.",
        params={"y_kien": Param("", type="string", title="Ý kiến của Phòng Nội vụ (khi trả lại: cần sửa gì)")},
    )

    @task(pool="warehouse")
    def publish(draft: dict, dag_run=None, ti=None) -> dict[str, str]:
        """Approved: to the leaders' folder and e-mail; skipped when Phòng Nội vụ rejects."""
        from reporting import review_approval

        # the answer's one source, for publish and send_back alike: the approval's own key
        answer = ti.xcom_pull(task_ids="noivu_approval", key=ANSWER_KEY)
        return review_approval.publish({"dag_id": dag_run.dag_id, "run_id": dag_run.run_id}, draft, answer)

    @task(pool="warehouse", trigger_rule="all_skipped")
    def send_back(dag_run=None, ti=None) -> dict[str, str]:
        """Rejected (publish skipped): the draft goes back with the comment, e-mailed to Phòng Nội vụ."""
        from reporting import review_approval

        run = {"dag_id": dag_run.dag_id, "run_id": dag_run.run_id}
        # one pull per task: a pull of several task ids does not promise their order
        draft = ti.xcom_pull(task_ids="build_review_pack")
        # a rejection raises Airflow's skip signal before the approval's return value is pushed:
        # the answer is read from its own key
        answer = ti.xcom_pull(task_ids="noivu_approval", key=ANSWER_KEY)
        return review_approval.send_back(run, draft, answer)

    published = publish(draft)
    draft >> noivu_approval >> published
    published >> send_back()


vanquan_reviews()
