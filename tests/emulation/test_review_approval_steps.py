"""The steps after Phòng Nội vụ's answer, on a real warehouse and a real SMTP server: what the
reviews DAG's publish and send_back tasks do with the ApprovalOperator's result."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core import settings
from reporting import review_approval
from tests.conftest import free_port
from tests.emulation.test_review_approval import Sink

RUN = {"dag_id": "vanquan_reviews", "run_id": "manual__test"}


@pytest.fixture()
def sink(platform_home: Path):
    from aiosmtpd.controller import Controller

    handler = Sink()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    saved = os.environ.get("AIRFLOW_CONN_SMTP_DEFAULT")
    os.environ["AIRFLOW_CONN_SMTP_DEFAULT"] = f"smtp://127.0.0.1:{port}?local_relay=true"
    yield handler
    controller.stop()
    if saved is None:
        os.environ.pop("AIRFLOW_CONN_SMTP_DEFAULT", None)
    else:
        os.environ["AIRFLOW_CONN_SMTP_DEFAULT"] = saved


def draft(as_of: str) -> dict[str, str]:
    folder = settings.paths().reports / f"2022-{as_of}"
    # a known world: what an earlier run drafted or published for the same period goes first
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(settings.paths().reports / "lanh-dao" / folder.name, ignore_errors=True)
    folder.mkdir(parents=True)
    stem = folder / f"bao_cao_2022_den_{as_of}"
    for suffix in (".xlsx", ".pdf"):
        stem.with_suffix(suffix).write_bytes(b"pack")
    return {"workbook": str(stem.with_suffix(".xlsx")), "pdf": str(stem.with_suffix(".pdf"))}


def answer(option: str, comment: str) -> dict[str, object]:
    return {
        "chosen_options": [option],
        "params_input": {"y_kien": comment},
        "responded_at": datetime(2022, 7, 1, 3, 0, tzinfo=UTC),
        "responded_by_user": {"id": "noivu", "name": "noivu"},
    }


@pytest.fixture()
def packs() -> Iterator[None]:
    """The stand-in packs and what publishing them made are removed after the test (any order)."""
    yield
    for folder in ("2022-2022-06", "2022-2022-12", "lanh-dao/2022-2022-06", "lanh-dao/2022-2022-12"):
        shutil.rmtree(settings.paths().reports / folder, ignore_errors=True)


@pytest.mark.usefixtures("packs")
def test_approval_publishes_to_the_leaders_and_a_rejection_goes_back_to_noivu(sink, admin_conn) -> None:
    approved = draft("2022-06")
    assert review_approval.publish(RUN, approved, answer("Approve", "Đồng ý")) == {
        "published_folder": str(settings.paths().reports / "lanh-dao" / "2022-2022-06")
    }
    leaders = settings.paths().reports / "lanh-dao" / "2022-2022-06"
    assert sorted(p.name for p in leaders.iterdir()) == [
        "bao_cao_2022_den_2022-06.pdf",
        "bao_cao_2022_den_2022-06.xlsx",
    ]
    rejected = draft("2022-12")
    comment = "Bổ sung quyết định khen thưởng trước khi gửi"
    review_approval.send_back({**RUN, "run_id": "manual__test2"}, rejected, answer("Reject", comment))
    assert (Path(rejected["workbook"]).parent / "tra-lai.txt").read_text("utf-8") == (
        f"Bản dự thảo bị trả lại bởi noivu.\nCần sửa: {comment}\n"
    )
    assert not (settings.paths().reports / "lanh-dao" / "2022-2022-12").exists()
    with admin_conn.cursor() as cur:
        cur.execute(
            "select run_id, plan_year, as_of, decision, approver, responded_at, comment, published_folder is not null"
            " from audit.review_approvals where run_id like 'manual__test%%' order by run_id"
        )
        assert cur.fetchall() == [
            (
                "manual__test",
                2022,
                "2022-06",
                "approved",
                "noivu",
                datetime(2022, 7, 1, 3, 0, tzinfo=UTC),
                "Đồng ý",
                True,
            ),
            (
                "manual__test2",
                2022,
                "2022-12",
                "rejected",
                "noivu",
                datetime(2022, 7, 1, 3, 0, tzinfo=UTC),
                comment,
                False,
            ),
        ]
    assert [(to, subject) for to, subject, _ in sink.messages] == [
        (["lanhdao@vanquan.example"], "Báo cáo sơ kết đến tháng 6/2022 đã được Phòng Nội vụ duyệt"),
        (["noivu@vanquan.example"], "Báo cáo tổng kết đến tháng 12/2022 bị trả lại: cần sửa"),
    ]
    assert comment in sink.messages[1][2].get_payload(decode=True).decode("utf-8")
