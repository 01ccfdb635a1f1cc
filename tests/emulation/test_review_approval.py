"""Phòng Nội vụ approves (and rejects) the review pack in the real Airflow, over its REST API.

Airflow standalone runs the reviews DAG on this test's warehouse; the draft waits in the
ApprovalOperator until a user answers. The leaders' Viewer role may not answer (403); the
Nội vụ user approves the mid-year pack (it reaches the leaders' folder and e-mail) and rejects
the year-end pack with a comment (the draft goes back, Nội vụ is e-mailed what to fix). Every
answer is a row of audit.review_approvals.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
import requests

from core import settings
from tests.conftest import free_port, restore_environ, wait_until
from transform.dbt_runner import run_dbt

pytestmark = pytest.mark.e2e
DAG = "vanquan_reviews"


class Sink:
    """An SMTP server that keeps what it receives (aiosmtpd)."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, str(make_header(decode_header(message["Subject"]))), message))
        return "250 OK"


@pytest.fixture(scope="module")
def airflow(own_warehouse: Path):
    from aiosmtpd.controller import Controller

    from runtime import airflow_service, services
    from runtime.env import VENV_BIN, airflow_env

    # a known world: no pack an earlier module drafted or published (in any order) for these periods
    for folder in ("2022-2022-06", "2022-2022-12", "lanh-dao"):
        shutil.rmtree(settings.paths().reports / folder, ignore_errors=True)
    sink = Sink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    saved = {k: os.environ.get(k) for k in ("AIRFLOW_PORT", "AIRFLOW_USERS", "AIRFLOW_CONN_SMTP_DEFAULT")}
    os.environ["AIRFLOW_PORT"] = str(free_port())
    os.environ["AIRFLOW_USERS"] = "admin:admin,lanhdao:viewer,noivu:user"
    os.environ["AIRFLOW_CONN_SMTP_DEFAULT"] = f"smtp://127.0.0.1:{smtp_port}?local_relay=true"
    run_dbt(["seed"])
    run_dbt(["run"])  # the marts the pack reads (nothing has arrived: it names what is missing)
    run_dbt(["parse"])
    airflow_service.setup()
    # airflow standalone, given longer than the demo's 240 s to get healthy on a busy machine
    # Only the reviews DAG runs (the test unpauses it): the inbox, systems and transform DAGs
    # would take the executor's slots and the machine's two cores for nothing here.
    env = {**airflow_env(), "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"}
    services.start("airflow", [str(VENV_BIN / "airflow"), "standalone"], env, airflow_service.health_url(), 900)
    try:
        yield sink
    finally:
        airflow_service.stop()
        controller.stop()
        restore_environ(saved)


def client(user: str) -> requests.Session:
    from runtime import airflow_service

    url = f"http://127.0.0.1:{settings.airflow_port()}"
    password = airflow_service.demo_logins()[user]
    token = requests.post(f"{url}/auth/token", json={"username": user, "password": password}, timeout=30)
    token.raise_for_status()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    session.base = url  # type: ignore[attr-defined]
    return session


def wait(what: Callable[[], object]) -> object:
    """Poll the API every 5 s; the API server busy for a moment is asked again."""
    return wait_until(what, pause=5, ignoring=(requests.RequestException,))


def run_until_approval(admin: requests.Session, as_of: str) -> str:
    base = admin.base  # type: ignore[attr-defined]

    def parsed():
        """the reviews DAG to be parsed"""
        return admin.get(f"{base}/api/v2/dags/{DAG}", timeout=30).status_code == 200

    wait(parsed)
    admin.patch(f"{base}/api/v2/dags/{DAG}", json={"is_paused": False}, timeout=30).raise_for_status()
    # Unpausing schedules the latest review of the real calendar (a 2026 pack): not this test's,
    # and with one active run at a time it would hold this test's run back. Wait for the
    # scheduler to create it, then stop it.

    def scheduled():
        """the scheduler to create the latest scheduled review"""
        runs = admin.get(f"{base}/api/v2/dags/{DAG}/dagRuns", timeout=30).json()["dag_runs"]
        return [run for run in runs if run["run_type"] == "scheduled"]

    for run in wait(scheduled):
        if run["state"] in ("queued", "running"):
            admin.patch(
                f"{base}/api/v2/dags/{DAG}/dagRuns/{run['dag_run_id']}", json={"state": "failed"}, timeout=30
            ).raise_for_status()
    created = admin.post(
        f"{base}/api/v2/dags/{DAG}/dagRuns", json={"logical_date": None, "conf": {"as_of": as_of}}, timeout=30
    )
    created.raise_for_status()
    run_id = created.json()["dag_run_id"]

    def waiting():
        """the approval step to wait for an answer"""
        ti = admin.get(f"{base}/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances/noivu_approval", timeout=30)
        return ti.status_code == 200 and ti.json()["state"] in ("awaiting_input", "deferred")

    wait(waiting)
    return run_id


def answer(session: requests.Session, run_id: str, option: str, comment: str) -> requests.Response:
    base = session.base  # type: ignore[attr-defined]
    return session.patch(
        f"{base}/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances/noivu_approval/-1/hitlDetails",
        json={"chosen_options": [option], "params_input": {"y_kien": comment}},
        timeout=30,
    )


def finished(admin: requests.Session, run_id: str, again: Callable[[], object]) -> dict[str, str]:
    """The run's end state. A retried approval step asks anew (seen on a loaded machine: Airflow's
    "task state changed externally" race fails the first try as it starts waiting); ``again``
    gives the new try the same answer, as Phòng Nội vụ would."""
    base = admin.base  # type: ignore[attr-defined]
    approval = f"{base}/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances/noivu_approval"

    def done():
        """the run to finish"""
        run = admin.get(f"{base}/api/v2/dags/{DAG}/dagRuns/{run_id}", timeout=30).json()
        if run["state"] not in ("success", "failed"):
            waiting = admin.get(approval, timeout=30).json().get("state") == "awaiting_input"
            if waiting and not admin.get(f"{approval}/-1/hitlDetails", timeout=30).json().get("response_received"):
                again()
            return None
        return run

    run = wait(done)
    tis = admin.get(f"{base}/api/v2/dags/{DAG}/dagRuns/{run_id}/taskInstances", timeout=30).json()
    return {"run": run["state"], **{t["task_id"]: t["state"] for t in tis["task_instances"]}}


def approvals(admin_conn, run_id: str) -> list[tuple]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select plan_year, as_of, decision, approver, comment, published_folder is not null"
            " from audit.review_approvals where run_id = %s",
            (run_id,),
        )
        return cur.fetchall()


def test_noivu_approves_the_mid_year_pack_and_the_leaders_get_it(airflow, admin_conn) -> None:
    admin = client("admin")
    run_id = run_until_approval(admin, "2022-06")
    refused = answer(client("lanhdao"), run_id, "Approve", "")
    assert refused.status_code == 403
    assert answer(client("noivu"), run_id, "Approve", "Đồng ý gửi lãnh đạo").status_code == 200
    again = lambda: answer(client("noivu"), run_id, "Approve", "Đồng ý gửi lãnh đạo")  # noqa: E731
    assert finished(admin, run_id, again) == {
        "run": "success",
        "build_review_pack": "success",
        "noivu_approval": "success",
        "publish": "success",
        "send_back": "skipped",
    }
    assert approvals(admin_conn, run_id) == [(2022, "2022-06", "approved", "noivu", "Đồng ý gửi lãnh đạo", True)]
    leaders = settings.paths().reports / "lanh-dao" / "2022-2022-06"
    assert sorted(p.suffix for p in leaders.iterdir()) == [".pdf", ".xlsx"]
    [(_to, subject, _)] = [m for m in airflow.messages if m[0] == ["lanhdao@vanquan.example"]]
    assert subject == "Báo cáo sơ kết đến tháng 6/2022 đã được Phòng Nội vụ duyệt"


def test_a_rejection_sends_the_draft_back_and_tells_noivu_what_to_fix(airflow, admin_conn) -> None:
    admin = client("admin")
    run_id = run_until_approval(admin, "2022-12")
    comment = "Bổ sung quyết định khen thưởng của Hội đồng trước khi gửi"
    assert answer(client("noivu"), run_id, "Reject", comment).status_code == 200
    again = lambda: answer(client("noivu"), run_id, "Reject", comment)  # noqa: E731
    assert finished(admin, run_id, again) == {
        "run": "success",
        "build_review_pack": "success",
        "noivu_approval": "success",
        "publish": "skipped",
        "send_back": "success",
    }
    assert approvals(admin_conn, run_id) == [(2022, "2022-12", "rejected", "noivu", comment, False)]
    assert not (settings.paths().reports / "lanh-dao" / "2022-2022-12").exists()
    draft = settings.paths().reports / "2022-2022-12"
    assert (draft / "tra-lai.txt").read_text("utf-8") == f"Bản dự thảo bị trả lại bởi noivu.\nCần sửa: {comment}\n"
    [(_to, subject, message)] = [m for m in airflow.messages if m[0] == ["noivu@vanquan.example"]]
    assert subject == "Báo cáo tổng kết đến tháng 12/2022 bị trả lại: cần sửa"
    assert comment in message.get_payload(decode=True).decode("utf-8")
