"""Obligations, compliance and the review pack on a real warehouse built by dbt (plan year 2022).

A warehouse where most offices sent nothing: ``make review AS_OF=2022-06`` (the same
``review_pack.main``) builds the pack and names the missing figures and their offices; the
compliance mart applies rule 7 (a partial commune obligation is not met, with the count
missing) and counts a baseline year sent by month or by quarter; the Python calendar of the
reminders judges every obligation exactly like the mart.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import psycopg2
import pytest
from reporting_support import VN, write_figures

from core import catalog as catalog_mod
from core import settings
from core.calendar import obligations, units_reported
from reporting import review_data, review_pack
from reporting.reminders import received_spans
from transform.dbt_runner import run_dbt

UNITS = tuple(sorted(u.code for u in catalog_mod.default().communes_on(date(2022, 6, 30))))
MONTHS_2021 = [f"2021-{m:02d}" for m in range(1, 13)]


def _on(month: int, day: int = 10) -> datetime:
    return datetime(2022, month, day, 9, 0, tzinfo=VN)


@pytest.fixture(scope="module")
def sparse(fresh_warehouse: Path) -> Path:
    """Only the police and the social insurance have sent anything, the latter for 15 of 17 units."""
    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    police = ("traffic_accidents", "traffic_deaths", "traffic_injuries", "criminal_offences")
    try:
        write_figures(
            conn,
            "congan",
            _on(1, 15),
            [
                *(("traffic_accidents", p) for p in MONTHS_2021),  # 2021 by month
                *(("traffic_deaths", f"2021-Q{q}") for q in range(1, 5)),  # by quarter
                ("traffic_injuries", "2021"),  # one yearly figure
                *(("criminal_offences", p) for p in MONTHS_2021[:11]),  # December 2021 missing
            ],
        )
        for month in range(1, 6):
            write_figures(conn, "congan", _on(month + 1), [(code, f"2022-{month:02d}") for code in police])
            write_figures(
                conn,
                "bhxh",
                _on(month + 1, 12),
                [
                    (code, f"2022-{month:02d}", unit, 1000)
                    for code in ("people_health_insured", "population")
                    for unit in UNITS[:15]
                ],
            )
        write_figures(conn, "congan", _on(7, 5), [(code, "2022-06") for code in police])
    finally:
        conn.close()
    run_dbt(["seed"])
    run_dbt(["run", "--full-refresh"])  # the incremental figure versions must forget the truncated rows
    return fresh_warehouse


def _compliance(conn, indicator: str, period: str) -> tuple:
    with conn.cursor() as cur:
        cur.execute(
            """select period_label_vi, is_baseline, due_date, units_expected, units_reported, units_missing,
                      missing_units_vi, compliance_status, days_late
               from marts.fct_reporting_compliance where plan_year = 2022 and indicator_code = %s
                 and period_code = %s""",
            (indicator, period),
        )
        [row] = cur.fetchall()
    return row


def test_compliance_applies_rule_7_and_baseline_coverage(sparse, admin_conn) -> None:
    # Judged on 5 July 2022, the last day a file was received.
    assert _compliance(admin_conn, "people_health_insured", "2022-05") == (
        "Tháng 5/2022", False, date(2022, 6, 20), 17, 15, 2,
        "Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc", "chua_nop", 15,
    )  # fmt: skip
    assert _compliance(admin_conn, "people_health_insured", "2022-06")[4:8] == (
        0,
        17,
        "Chưa có số liệu của cả 17 đơn vị",
        "chua_den_han",
    )
    # The 2021 baseline: by month, by quarter, by year all settle it; eleven months do not.
    for indicator in ("traffic_accidents", "traffic_deaths", "traffic_injuries"):
        assert _compliance(admin_conn, indicator, "2021") == (
            "Năm 2021",
            True,
            date(2022, 1, 20),
            1,
            1,
            0,
            None,
            "dung_han",
            0,
        ), indicator
    assert _compliance(admin_conn, "criminal_offences", "2021") == (
        "Năm 2021",
        True,
        date(2022, 1, 20),
        1,
        0,
        1,
        "Chưa có số liệu toàn huyện",
        "chua_nop",
        166,
    )
    assert _compliance(admin_conn, "traffic_deaths", "2022-06")[7] == "dung_han"


def test_the_reminders_calendar_judges_like_the_mart(sparse, admin_conn) -> None:
    _assert_python_and_sql_agree(admin_conn, date(2022, 7, 5))


def _assert_python_and_sql_agree(conn, as_of: date) -> None:
    """Every obligation of 2022: same periods, due dates, units in scope and units reported by ``as_of``."""
    cat = catalog_mod.default()
    owed = obligations(cat, 2022)
    figures = received_spans(conn, as_of, sorted({o.indicator_code for o in owed}))
    python = {
        (o.indicator_code, o.period.code): (o.office_code, o.due_date, o.is_baseline, len(o.units),
                                            len(units_reported(o, figures)))
        for o in owed
    }  # fmt: skip
    with conn.cursor() as cur:
        cur.execute(
            """select indicator_code, period_code, office_code, due_date, is_baseline, units_expected, units_reported
               from marts.fct_reporting_compliance where plan_year = 2022"""
        )
        sql = {(i, p): rest for i, p, *rest in cur.fetchall()}
    assert {k: tuple(v) for k, v in sql.items()} == python


def test_make_review_on_a_warehouse_where_most_offices_sent_nothing(sparse, capsys) -> None:
    assert review_pack.main(["--as-of", "2022-06"]) == 0
    printed = capsys.readouterr().out.splitlines()
    folder = settings.paths().reports / "2022-2022-06"
    assert printed[:2] == [
        str(folder / "bao_cao_so_ket_2022_den_2022-06.xlsx"),
        str(folder / "bao_cao_so_ket_2022_den_2022-06.pdf"),
    ]
    data = review_data.read(2022, "2022-06")
    assert len(data.targets) == 27
    missing = {(m.office_name, m.indicator_name, m.period_label): m for m in data.missing}
    offices = {m.office_name for m in data.missing}
    # Every office that submits owes something; the police only last December's offences.
    assert len(offices) == 11
    police = [k for k in missing if k[0] == "Công an huyện"]
    assert len(police) == 1 and police[0][2] == "Năm 2021"
    assert missing[police[0]].status_vi == "Quá hạn 166 ngày" and missing[police[0]].target_codes == "XH08"
    insured = next(m for k, m in missing.items() if k[0] == "Bảo hiểm xã hội huyện" and k[2] == "Tháng 5/2022")
    assert insured.missing_units_vi == "Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc"
    assert insured.status_vi == "Quá hạn 15 ngày"
    june = [m for k, m in missing.items() if k[0] == "Bảo hiểm xã hội huyện" and k[2] == "Tháng 6/2022"]
    assert [m.status_vi for m in june] == ["Chưa đến hạn", "Chưa đến hạn"]
    assert not [k for k in missing if k[2].startswith("Quý 3") or k[2] == "Tháng 7/2022"]

    book = openpyxl.load_workbook(printed[0])
    rows = [r[:7] for r in book["Số liệu còn thiếu"].iter_rows(min_row=4, values_only=True)]
    assert len(rows) == len(data.missing)
    assert ("Công an huyện", "Số vụ phạm pháp hình sự", "Năm 2021 (năm trước, để so sánh)", "XH08", "20/01/2022",
            "Quá hạn 166 ngày", "Chưa có số liệu toàn huyện") in rows  # fmt: skip
    report = [r[0] for r in book["Báo cáo"].iter_rows(values_only=True) if r[0]]
    assert (
        f"- Còn thiếu {len(data.missing)} số liệu đến hết tháng 6/2022 (chi tiết ở trang “Số liệu còn thiếu”)."
        in report
    )
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", printed[1], "-"], capture_output=True, text=True, check=True)
        body = unicodedata.normalize("NFC", text.stdout)
        for phrase in ("BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM 2022", "II. Tồn tại, hạn chế", "III. Nguyên nhân",
                       "IV. Nhiệm vụ, giải pháp", f"còn thiếu {len(data.missing)} số liệu của 11 cơ quan",
                       "Quá hạn 166 ngày", "xã Yên Phúc"):  # fmt: skip
            assert phrase in body, phrase
        assert "2022-06" not in body.replace("2022-2022-06", "")
