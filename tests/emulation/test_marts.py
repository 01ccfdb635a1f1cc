"""The hand-made record set through the inbox and dbt: the emulation marts, exactly.

The figures: tckh's budget revenue, January to June 2022, 1.700 million a month (10.200 by
June; the pace of KT05, 19.000 a year with no 2021 months known, is 19.000 x 6/12 = 9.500:
on pace), sent on 15 June 2022. Nothing else is sent, so MT04 and KT01 miss their figures as
of June. tckh's reports due by 30 June: budget revenue of January to May (due the 20th of the
next month; sent 15 June: four late, May's on time), gross output and income per head of Q1
(due 20 April) and the 2021 baseline of gross output: 8 due, 1 on time, 4 late, 3 missing.
yte sent nothing: its 2021 baseline and three Q1 reports are missing.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core import settings
from ingest import pipeline
from tests.emulation.records import drop, write_workbook
from transform.dbt_runner import run_dbt

pytestmark = pytest.mark.usefixtures("own_warehouse")

BUDGET = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu\n" + "".join(
    f"budget_revenue,Huyện,Tháng {m}/2022,1700,chính thức\n" for m in range(1, 7)
)


@pytest.fixture(scope="module")
def built(own_warehouse: Path) -> Path:
    inbox = settings.paths().inbox
    (inbox / "tckh").mkdir(parents=True, exist_ok=True)
    budget = inbox / "tckh" / "thu-ngan-sach-6-thang.csv"
    budget.write_text(BUDGET, encoding="utf-8")
    sent = datetime(2022, 6, 15, 2, 0, tzinfo=UTC).timestamp()  # 09:00 in Vietnam
    os.utime(budget, (sent, sent))
    drop(write_workbook(inbox / "noivu" / "thi-dua-2022.xlsx"), 60)
    outcomes = pipeline.process_inbox(["tckh", "noivu"])
    assert [o.status for o in outcomes] == ["loaded", "loaded_with_warnings"]
    # unit tests included: a broken one must fail here, not slip by
    run_dbt(["build"])
    return own_warehouse


def query(admin_conn, sql: str) -> list[tuple]:
    with admin_conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()


def test_clusters_hold_only_the_members_that_were_not_refused(built, admin_conn) -> None:
    assert query(
        admin_conn,
        "select cluster_code, unit_code, unit_type, unit_name, is_head, head_unit_name, members_count"
        " from marts.dim_emulation_cluster_member order by cluster_code, unit_code",
    ) == [
        ("CUM1", "nnptnt", "phong", "Phòng Nông nghiệp và PTNT", False, "Phòng Tài chính - Kế hoạch", 3),
        ("CUM1", "tckh", "phong", "Phòng Tài chính - Kế hoạch", True, "Phòng Tài chính - Kế hoạch", 3),
        ("CUM1", "yte", "phong", "Phòng Y tế", False, "Phòng Tài chính - Kế hoạch", 3),
        ("CUM2", "AN_SON", "xa", "An Sơn", True, "An Sơn", 2),
        ("CUM2", "BINH_PHUC", "xa", "Bình Phúc", False, "An Sơn", 2),
    ]


def test_registrations_carry_each_target_standing_as_of_june(built, admin_conn) -> None:
    assert query(
        admin_conn,
        "select unit_code, target_code, commitment_vi, judged_on, status, actual_value, expected_value_now"
        " from marts.fct_emulation_registrations where as_of_period = '2022-06' order by source_row",
    ) == [
        (
            "tckh",
            "KT05",
            "Tổng thu ngân sách trên địa bàn: 19.000 triệu đồng",
            "huyen",
            "dung_tien_do",
            Decimal("10200"),
            Decimal("9500"),
        ),
        ("tckh", "KT01", "Tổng giá trị sản xuất trên địa bàn tăng 8,5-9%", "huyen", "thieu_so_lieu", None, None),
        ("yte", "MT04", "Tỷ lệ chất thải y tế được xử lý đạt 100%", "huyen", "thieu_so_lieu", None, None),
        ("yte", None, "Tiêm chủng đầy đủ cho trẻ em", None, None, None, None),
        (
            "AN_SON",
            "KT07",
            "Tỷ lệ xã có đường ô tô đến trung tâm xã được rải nhựa hoặc bê tông: 100%",
            "don_vi",
            "thieu_so_lieu",
            None,
            None,
        ),
    ]


def test_proposals_evidence_flags_decisions_and_state(built, admin_conn) -> None:
    missing = "còn 3 kỳ báo cáo chưa nộp"
    assert query(
        admin_conn,
        "select proposal_id, occasion_vi, nominee_vi, evidence_period, targets_named, targets_supported,"
        " reports_due, reports_on_time, reports_late, reports_missing, evidence_flag, evidence_note_vi, state_vi,"
        " final_award_form from marts.fct_emulation_proposals order by proposal_id",
    ) == [
        (
            "DN-01",
            "Sơ kết (giữa năm)",
            "Phòng Tài chính - Kế hoạch",
            "2022-06",
            1,
            1,
            8,
            1,
            4,
            3,
            True,
            "Còn 3 kỳ báo cáo chưa nộp",
            "Đã duyệt",
            "Giấy khen của Chủ tịch UBND huyện",
        ),
        (
            "DN-02",
            "Sơ kết (giữa năm)",
            "Hoàng Thị Mai, Phòng Y tế",
            "2022-06",
            1,
            0,
            4,
            0,
            0,
            4,
            True,
            "Số liệu chưa chứng minh: MT04 (Thiếu số liệu); còn 4 kỳ báo cáo chưa nộp",
            "Đổi hình thức",
            "Giấy khen của Hội đồng TĐKT",
        ),
        (
            "DN-03",
            "Sơ kết (giữa năm)",
            "Phòng Tài chính - Kế hoạch",
            "2022-06",
            1,
            0,
            8,
            1,
            4,
            3,
            True,
            f"Số liệu chưa chứng minh: KT01 (Thiếu số liệu); {missing}",
            "Chờ xét",
            None,
        ),
    ]


def test_the_review_pack_lists_the_proposals_with_evidence_and_decisions(built, admin_conn) -> None:
    import openpyxl

    from reporting import review_emulation, review_pack

    rows = [r.cells() for r in review_emulation.read(2022, "2022-06")]
    assert [r[0] for r in rows] == ["DN-01", "DN-02", "DN-03"]
    assert rows[1] == (
        "DN-02",
        "Sơ kết (giữa năm)",
        "Cá nhân",
        "Hoàng Thị Mai, Phòng Y tế",
        "Giấy khen của Chủ tịch UBND huyện",
        "MT04",
        "Số liệu chưa chứng minh: MT04 (Thiếu số liệu); còn 4 kỳ báo cáo chưa nộp",
        "Có",
        "Đổi hình thức",
        "102/QĐ-UBND, ngày 20/07/2022, Giấy khen của Hội đồng TĐKT",
    )
    assert review_emulation.read(2022, "2022-05") == []
    pack = review_pack.build("2022-06")
    sheet = openpyxl.load_workbook(pack.workbook)["Thi đua - Khen thưởng"]
    assert sheet["A1"].value == "Thi đua, khen thưởng: đề nghị khen thưởng và kết quả xét"
    assert [sheet.cell(row=r, column=1).value for r in range(3, 7)] == ["Mã đề nghị", "DN-01", "DN-02", "DN-03"]
    assert pack.pdf.stat().st_size > 0
