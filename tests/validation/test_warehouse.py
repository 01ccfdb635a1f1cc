"""Validation against a real warehouse: history-based warnings, audit records, the mart suite, data docs."""

from __future__ import annotations

from decimal import Decimal

import psycopg2
import pytest

from core import catalog, settings
from core.catalog import STATUS_VI as STATUSES
from ingest.model import WARNING
from ingest.validate import build_data_docs, record_validation, validate_submission
from tests.validation.helpers import Sheet, communes, period
from transform.marts import MartValidationError, validate_marts


@pytest.fixture()
def loader_conn(platform_home):
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    yield conn
    conn.rollback()
    conn.close()


def _file(cur, office: str, name: str) -> int:
    cur.execute(
        "insert into audit.ingest_files (source_kind, source_name, office_code, original_name, sha256, received_at,"
        " status) values ('file', 'inbox', %s, %s, %s, now(), 'loaded') returning file_id",
        (office, name, (name * 64)[:64]),
    )
    return cur.fetchone()[0]


def _load(cur, file_id: int, office: str, figures: list[tuple[str, str, str, float]]) -> None:
    for indicator, unit, code, value in figures:
        grain, start, end = period(code)
        cur.execute(
            "insert into raw.submitted_figures (file_id, source_kind, source_name, source_sha256, office_code,"
            " indicator_code, admin_unit_code, period_code, period_grain, period_start, period_end, value, value_type,"
            " received_at) values (%s, 'file', 'inbox', %s, %s, %s, %s, %s, %s, %s, %s, %s, 'actual', now())",
            (file_id, "h" * 64, office, indicator, unit, code, grain, start, end, Decimal(str(value))),
        )


def test_history_warnings_jump_decrease_and_outlier(admin_conn, loader_conn):
    with admin_conn.cursor() as cur:
        file_id = _file(cur, "congan", "history-congan.xlsx")
        _load(cur, file_id, "congan", [("traffic_accidents", "VAN_QUAN", f"2022-0{m}", 4 + m % 2) for m in range(1, 6)])
        file_id = _file(cur, "ktht", "history-ktht.xlsx")
        _load(cur, file_id, "ktht", [("villages_on_grid", u, "2022-Q1", 8) for u in communes()])
        _load(cur, file_id, "ktht", [("villages_total", u, "2022-Q1", 9) for u in communes()])

    sheet = Sheet()
    r_jump = sheet.add("traffic_accidents", "VAN_QUAN", "2022-06", 40)
    outcome = validate_submission(sheet.rows, "congan", source_label="ca.xlsx", history_conn=loader_conn)
    rules = sorted((p.rule, p.source_row, p.severity) for p in outcome.problems)
    assert rules == [("monthly_jump", r_jump, WARNING), ("outlier_history", r_jump, WARNING)]
    jump = next(p for p in outcome.problems if p.rule == "monthly_jump")
    assert jump.message_vi == (
        f"Giá trị 40 của «Số vụ tai nạn giao thông» – toàn huyện, tháng 6/2022 (dòng {r_jump}) thay đổi đột biến so "
        "với tháng trước (5); hãy kiểm tra lại, nếu đúng thì ghi lý do vào cột ghi chú."
    )
    # A looser factor (from the caller) silences the jump but not the history band.
    looser = validate_submission(
        sheet.rows, "congan", source_label="ca.xlsx", history_conn=loader_conn, plausibility={"jump_factor": 10}
    )
    assert [p.rule for p in looser.problems] == ["outlier_history"]

    grid = Sheet()
    down = None
    for unit in communes():
        row = grid.add("villages_on_grid", unit, "2022-Q2", 6 if unit == "AN_SON" else 8)
        down = row if unit == "AN_SON" else down
        grid.add("villages_total", unit, "2022-Q2", 9)
    outcome = validate_submission(grid.rows, "ktht", source_label="kt.xlsx", history_conn=loader_conn)
    [problem] = outcome.problems
    assert (problem.rule, problem.source_row, problem.severity) == ("cumulative_decrease", down, WARNING)
    assert problem.message_vi == (
        f"Số lũy kế «Số thôn được sử dụng điện lưới quốc gia» – xã An Sơn, quý 2/2022 (dòng {down}) là 6, giảm so "
        "với kỳ trước (8); hãy kiểm tra lại, nếu đúng thì ghi lý do vào cột ghi chú."
    )
    # Without history, the same file is clean.
    assert validate_submission(grid.rows, "ktht", source_label="kt.xlsx").problems == []


def test_record_validation_writes_run_and_results(admin_conn, loader_conn):
    sheet = Sheet()
    r_foreign = sheet.add("tourist_visits", "VAN_QUAN", "2022-05", 800)
    sheet.add("criminal_offences", "VAN_QUAN", "2022-05", 3)
    outcome = validate_submission(sheet.rows, "congan", source_label="ca2.xlsx")
    with loader_conn.cursor() as cur:
        file_id = _file(cur, "congan", "ca2.xlsx")
        run_id = record_validation(
            cur, outcome, suite_name=outcome.suite_name, target_kind="file", target_name="ca2.xlsx", file_id=file_id
        )
    loader_conn.commit()
    with admin_conn.cursor() as cur:
        cur.execute(
            "select suite_name, target_kind, target_name, file_id, success, evaluated, failed"
            " from audit.validation_runs where run_id = %s",
            (run_id,),
        )
        assert cur.fetchone() == ("submission_congan", "file", "ca2.xlsx", file_id, False, len(outcome.results), 1)
        cur.execute(
            "select expectation_type, column_name, severity, element_count, unexpected_count, unexpected_sample,"
            " message_vi, kwargs->>'rule' from audit.validation_results where run_id = %s and not success",
            (run_id,),
        )
        [failed] = cur.fetchall()
    assert failed[:6] == ("expect_column_values_to_be_in_set", "indicator_code", "rejected", 2, 1, ["tourist_visits"])
    assert failed[6].startswith(
        f"Chỉ tiêu «Lượt khách du lịch» (tourist_visits) ở dòng {r_foreign} thuộc Phòng Văn hóa"
    )
    assert failed[7] == "indicator_not_owned"


MART_DDL = """
drop schema if exists test_marts cascade;
create schema test_marts;
create table test_marts.dim_indicator (indicator_code text primary key);
create table test_marts.dim_target (
    plan_year int, target_code text, kind text, target_value numeric, indicator_code text
);
create table test_marts.fct_target_attainment (
    plan_year int, target_code text, area text, as_of_period text, as_of_date date, actual_value numeric,
    target_value numeric, target_value_high numeric, baseline_value numeric, attainment_ratio numeric, status text,
    status_vi text, expected_value_now numeric, projected_year_end numeric, projected_month_reached text,
    last_received_at timestamptz, units_reported int, units_expected int, completeness_ratio numeric,
    status_note text
);
"""


def _build_marts(cur) -> None:
    cat = catalog.default()
    cur.execute(MART_DDL)
    for code in cat.indicators:
        cur.execute("insert into test_marts.dim_indicator values (%s)", (code,))
    for t in cat.targets_for(2022):
        cur.execute(
            "insert into test_marts.dim_target values (%s, %s, %s, %s, %s)",
            (t.plan_year, t.code, t.kind, t.target_value, t.indicator_code),
        )
        for month, share in (("2022-06", Decimal("0.5")), ("2022-07", Decimal("1.1"))):
            actual = t.target_value * share
            status = "vuot" if share > 1 else "cham_tien_do"
            if t.code == "KT10":
                actual, status = None, "thieu_so_lieu"
            ratio = None if actual is None or not t.target_value else actual / t.target_value
            cur.execute(
                "insert into test_marts.fct_target_attainment (plan_year, target_code, as_of_period, actual_value,"
                " target_value, attainment_ratio, status, status_vi, units_reported, units_expected,"
                " completeness_ratio) values (%s, %s, %s, %s, %s, %s, %s, %s, 17, 17, 1)",
                (2022, t.code, month, actual, t.target_value, ratio, status, STATUSES[status]),
            )


def test_mart_suite_passes_a_consistent_mart_and_fails_loudly_on_a_broken_one(admin_conn):
    with admin_conn.cursor() as cur:
        _build_marts(cur)
    outcome = validate_marts(admin_conn, schema="test_marts")
    assert outcome.problems == []
    assert outcome.rows_checked == 27 * 2

    with admin_conn.cursor() as cur:
        cur.execute(
            "delete from test_marts.fct_target_attainment where target_code = 'XH04' and as_of_period = '2022-06'"
        )
        cur.execute(
            "update test_marts.fct_target_attainment set status = 'dat', status_vi = 'Đạt'"
            " where target_code = 'KT03' and as_of_period = '2022-06'"
        )
        cur.execute(
            "insert into test_marts.fct_target_attainment (plan_year, target_code, as_of_period, status,"
            " status_vi) values (2022, 'ZZ99', '2022-06', 'thieu_so_lieu', 'Thiếu số liệu')"
        )
    with pytest.raises(MartValidationError) as caught:
        validate_marts(admin_conn, schema="test_marts")
    error = caught.value
    failed = {r.rule for r in error.outcome.results if not r.success}
    assert failed == {"missing_attainment_row", "status_not_supported", "orphan_target"}
    messages = {p.rule: p.message_vi for p in error.outcome.problems}
    assert messages["missing_attainment_row"] == "Thiếu dòng kết quả của chỉ tiêu XH04 năm 2022, kỳ 2022-06."
    assert messages["status_not_supported"] == (
        "Chỉ tiêu KT03, kỳ 2022-06 ghi «Đạt» nhưng số thực hiện 4.500 chưa đạt mục tiêu 9.000."
    )
    with admin_conn.cursor() as cur:
        cur.execute(
            "select target_kind, target_name, success, failed from audit.validation_runs where run_id = %s",
            (error.run_id,),
        )
        assert cur.fetchone() == ("model", "test_marts.fct_target_attainment", False, 3)


def test_data_docs_are_built_under_platform_home(platform_home):
    sheet = Sheet()
    sheet.add("criminal_offences", "VAN_QUAN", "2022-05", 3)
    validate_submission(sheet.rows, "congan", source_label="docs.xlsx")
    index = build_data_docs()
    assert index == settings.paths().data_docs / "index.html"
    assert index.is_file()
    assert (settings.paths().data_docs / "expectations" / "submission_congan.html").is_file()
    assert list((settings.paths().data_docs / "validations" / "submission_congan").rglob("*.html"))
    assert not (settings.EXPECTATIONS_DIR / "uncommitted").exists() or not any(
        (settings.EXPECTATIONS_DIR / "uncommitted").rglob("*.json")
    )
