"""Phòng Nội vụ approves the mid-year and year-end packs before the leaders get them.

The reviews DAG builds the pack as a draft, then waits in Airflow's human-in-the-loop step
(``ApprovalOperator``; answered by the Nội vụ user, whose role may answer it, while the
leaders' Viewer role may not). On approval ``publish`` copies the
pack into the leaders' folder (``<reports>/lanh-dao/<year>-<month>/``) and e-mails the
leaders; on rejection ``send_back`` leaves the draft where it is with a note of what to fix
(``tra-lai.txt``) and e-mails Phòng Nội vụ the comment. Either way the answer (who, when,
what was said) is one row of ``audit.review_approvals``.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

COMMENT_PARAM = "y_kien"


def subject(as_of: str) -> str:
    return f"Phòng Nội vụ duyệt báo cáo {_kind(as_of)} đến tháng {int(as_of[5:])}/{as_of[:4]}"


def _kind(as_of: str) -> str:
    return {"06": "sơ kết", "12": "tổng kết"}.get(as_of[5:], "tháng")


def _answer(answer: dict[str, Any]) -> tuple[str, str, datetime, str]:
    """(decision, approver, responded_at, comment) from the approval task's result."""
    chosen = (answer.get("chosen_options") or ["Reject"])[0]
    user = answer.get("responded_by_user") or {}
    responded = answer.get("responded_at")
    if isinstance(responded, str):
        responded = datetime.fromisoformat(responded)
    comment = str((answer.get("params_input") or {}).get(COMMENT_PARAM) or "").strip()
    approver = user.get("name") or user.get("id") or "?"
    return ("approved" if chosen == "Approve" else "rejected"), approver, responded, comment


def _period(draft: dict[str, Any]) -> tuple[int, str]:
    """(plan_year, as_of) from the draft's folder, ``<plan_year>-<YYYY-MM>``."""
    name = Path(draft["workbook"]).parent.name
    return int(name[:4]), name[5:]


def leaders_folder(draft_folder: Path) -> Path:
    return draft_folder.parent / "lanh-dao" / draft_folder.name


def _record(run: dict[str, str], draft: dict[str, Any], answer: dict[str, Any], published: Path | None) -> None:
    import psycopg2

    from core import settings

    decision, approver, responded_at, comment = _answer(answer)
    plan_year, as_of = _period(draft)
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                "insert into audit.review_approvals (dag_id, run_id, plan_year, as_of, draft_folder, decision,"
                " approver, responded_at, comment, published_folder) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    run["dag_id"],
                    run["run_id"],
                    plan_year,
                    as_of,
                    str(Path(draft["workbook"]).parent),
                    decision,
                    approver,
                    responded_at,
                    comment or None,
                    None if published is None else str(published),
                ),
            )
    finally:
        conn.close()


def _mail(recipient: str, title: str, body: str) -> None:
    from core import settings
    from reporting import mailer

    mailer.send([mailer.build_message(settings.mail_from(), recipient, title, body)], mailer.settings_from_env())


def publish(run: dict[str, str], draft: dict[str, Any], answer: dict[str, Any]) -> dict[str, str]:
    """Approved: the pack goes to the leaders' folder and their e-mail; the answer is recorded."""
    from core import settings

    source = Path(draft["workbook"]).parent
    target = leaders_folder(source)
    target.mkdir(parents=True, exist_ok=True)
    for key in ("workbook", "pdf"):
        shutil.copy2(draft[key], target / Path(draft[key]).name)
    _record(run, draft, answer, target)
    _, approver, _, comment = _answer(answer)
    as_of = _period(draft)[1]
    _mail(
        settings.leaders_email(),
        f"Báo cáo {_kind(as_of)} đến tháng {int(as_of[5:])}/{as_of[:4]} đã được Phòng Nội vụ duyệt",
        f"Kính gửi lãnh đạo UBND huyện,\n\nBáo cáo {_kind(as_of)} (Excel và PDF) đã được Phòng Nội vụ duyệt "
        f"({approver}) và đặt tại thư mục báo cáo của lãnh đạo: {target.name}.\n"
        + (f"Ý kiến của Phòng Nội vụ: {comment}\n" if comment else ""),
    )
    return {"published_folder": str(target)}


def send_back(run: dict[str, str], draft: dict[str, Any], answer: dict[str, Any]) -> dict[str, str]:
    """Rejected: the draft stays a draft, with what to fix beside it; Phòng Nội vụ gets the comment."""
    from core import catalog

    source = Path(draft["workbook"]).parent
    _, approver, _, comment = _answer(answer)
    note = comment or "(không có ý kiến)"
    (source / "tra-lai.txt").write_text(f"Bản dự thảo bị trả lại bởi {approver}.\nCần sửa: {note}\n", "utf-8")
    _record(run, draft, answer, None)
    as_of = _period(draft)[1]
    _mail(
        catalog.default().offices["noivu"].email,
        f"Báo cáo {_kind(as_of)} đến tháng {int(as_of[5:])}/{as_of[:4]} bị trả lại: cần sửa",
        f"Bản dự thảo báo cáo {_kind(as_of)} chưa được gửi lãnh đạo vì đã bị trả lại ({approver}).\n\n"
        f"Cần sửa: {note}\n\nSau khi sửa số liệu hoặc hồ sơ, hãy chạy lại báo cáo (DAG vanquan_reviews) để duyệt "
        "lại.",
    )
    return {"returned_folder": str(source)}
