"""Validation against a real warehouse: history-based warnings, audit records, the mart suite, data docs."""

from __future__ import annotations

import re
from decimal import Decimal

import psycopg2
import pytest

from core import catalog, settings
from core.catalog import STATUS_VI as STATUSES
from ingest.model import WARNING
from ingest.validate import build_data_docs, record_validation, validate_submission
from tests.validation.helpers import Sheet, communes, period
from transform.mart_suite import checks_frame
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
create table test_marts.dim_indicator (indicator_code text primary key, level text);
create table test_marts.dim_target (
    plan_year int, target_code text, kind text, target_value numeric, indicator_code text, measure text,
    unit_scope text
);
create table test_marts.fct_target_attainment (
    plan_year int, target_code text, as_of_period text, actual_value numeric, target_value numeric, status text,
    status_vi text, measure_value numeric, units_reported int, units_expected int
);
create table test_marts.dim_admin_unit (unit_code text, unit_type text);
create table test_marts.fct_commune_indicators (
    plan_year int, admin_unit_code text, indicator_code text, as_of_period text, value_ytd numeric,
    numerator numeric, denominator numeric
);
create table test_marts.int_target_measures (
    plan_year int, target_code text, measure_year int, as_of_month int, uses_district_total boolean
);
create table test_marts.reporting_obligations (
    plan_year int, office_code text, indicator_code text, period_code text, period_label_vi text, due_date date
);
create table test_marts.reporting_obligation_units (
    plan_year int, indicator_code text, period_code text, admin_unit_code text
);
create table test_marts.fct_reporting_compliance (
    plan_year int, office_code text, indicator_code text, period_code text, period_label_vi text, due_date date,
    units_expected bigint
);
create table test_marts.dim_office (office_code text, submits boolean);
create table test_marts.dim_emulation_cluster_member (
    plan_year int, cluster_code text, unit_code text, unit_type text, office_code text
);
create table test_marts.fct_emulation_ranking (
    plan_year int, as_of_period text, entity_type text, entity_code text
);
create table test_marts.fct_emulation_cluster_ranking (
    plan_year int, as_of_period text, cluster_code text, unit_code text
);
"""
MONTHS = (("2022-06", Decimal("0.5")), ("2022-07", Decimal("1.1")))
# KT03 (sown area, a commune-level flow) as of June: the district is the sum of its two units
UNITS = (("AN_SON", "xa", 4000), ("VAN_QUAN_TT", "thi_tran", 500))
OBLIGATIONS = (
    ("kiemlam", "new_forest_area", "2022-06", "Tháng 6/2022", "2022-07-20", ("AN_SON", "VAN_QUAN_TT")),
    ("congan", "traffic_accidents", "2022-06", "Tháng 6/2022", "2022-07-10", ("VAN_QUAN",)),
)
# cluster C1: a commune, an office with figures, and Phòng Nội vụ (no figures, never ranked)
MEMBERS = (("AN_SON", "xa", None), ("tckh", "phong", "tckh"), ("noivu", "phong", "noivu"))


def _build_marts(cur) -> None:
    """A small, consistent copy of the marts (and the seeds and the int_ model the checks read)."""
    cat = catalog.default()
    cur.execute(MART_DDL)
    for code, indicator in cat.indicators.items():
        cur.execute("insert into test_marts.dim_indicator values (%s, %s)", (code, indicator.level))
    for t in cat.targets_for(2022):
        cur.execute(
            "insert into test_marts.dim_target values (%s, %s, %s, %s, %s, %s, %s)",
            (t.plan_year, t.code, t.kind, t.target_value, t.indicator_code, t.measure, t.unit_scope),
        )
        for month, share in MONTHS:
            actual = t.target_value * share
            status = "vuot" if share > 1 else "cham_tien_do"
            if t.code == "KT10":
                actual, status = None, "thieu_so_lieu"
            units = 2 if t.code == "KT03" else 17
            cur.execute(
                "insert into test_marts.fct_target_attainment (plan_year, target_code, as_of_period, actual_value,"
                " target_value, status, status_vi, measure_value, units_reported, units_expected)"
                " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (2022, t.code, month, actual, t.target_value, status, STATUSES[status], actual, units, units),
            )
    for unit, unit_type, value in UNITS:
        cur.execute("insert into test_marts.dim_admin_unit values (%s, %s)", (unit, unit_type))
        cur.execute(
            "insert into test_marts.fct_commune_indicators values (2022, %s, 'sown_area', '2022-06', %s, null, null)",
            (unit, value),
        )
    cur.execute("insert into test_marts.int_target_measures values (2022, 'KT03', 2022, 6, false)")
    for office, indicator, period_code, label, due, units in OBLIGATIONS:
        cur.execute(
            "insert into test_marts.reporting_obligations values (2022, %s, %s, %s, %s, %s)",
            (office, indicator, period_code, label, due),
        )
        cur.execute(
            "insert into test_marts.fct_reporting_compliance values (2022, %s, %s, %s, %s, %s, %s)",
            (office, indicator, period_code, label, due, len(units)),
        )
        for unit in units:
            cur.execute(
                "insert into test_marts.reporting_obligation_units values (2022, %s, %s, %s)",
                (indicator, period_code, unit),
            )
    for code, office in cat.offices.items():
        cur.execute("insert into test_marts.dim_office values (%s, %s)", (code, office.submits))
    for unit, unit_type, office in MEMBERS:
        cur.execute(
            "insert into test_marts.dim_emulation_cluster_member values (2022, 'C1', %s, %s, %s)",
            (unit, unit_type, office),
        )
        for month, _share in MONTHS:
            cur.execute(
                "insert into test_marts.fct_emulation_cluster_ranking values (2022, %s, 'C1', %s)", (month, unit)
            )
            if unit != "noivu":
                cur.execute(
                    "insert into test_marts.fct_emulation_ranking values (2022, %s, %s, %s)", (month, unit_type, unit)
                )


# One break per cross-mart invariant, each in a mart of its own: one validation run of the
# broken copy serves the three tests below (each looks at its own rules only).
BREAKAGE = (
    # compliance: an obligation lost, another with the wrong due date and units owed
    "delete from test_marts.fct_reporting_compliance where office_code = 'congan'",
    "update test_marts.fct_reporting_compliance set due_date = '2022-07-25', units_expected = 17"
    " where office_code = 'kiemlam'",
    # emulation: Phòng Nội vụ unranked in its cluster in July, the commune missing from June's ranking
    "delete from test_marts.fct_emulation_cluster_ranking where unit_code = 'noivu' and as_of_period = '2022-07'",
    "delete from test_marts.fct_emulation_ranking where entity_code = 'AN_SON' and as_of_period = '2022-06'",
    # district: KT03's June total no longer the sum of its two complete units (4.500)
    "update test_marts.fct_target_attainment set measure_value = 4600"
    " where target_code = 'KT03' and as_of_period = '2022-06'",
)


@pytest.fixture(scope="module")
def broken_marts(platform_home) -> tuple[set[str], dict[str, str]]:
    """The rules that fail on the broken copy, and the first message of each."""
    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            _build_marts(cur)
            for sql in BREAKAGE:
                cur.execute(sql)
        with pytest.raises(MartValidationError) as caught:
            validate_marts(conn, schema="test_marts", record=False)
    finally:
        conn.close()
    outcome = caught.value.outcome
    messages: dict[str, str] = {}
    for problem in outcome.problems:
        messages.setdefault(problem.rule, problem.message_vi)
    return {r.rule for r in outcome.results if not r.success}, messages


def _only(broken: tuple[set[str], dict[str, str]], rules: set[str]) -> tuple[set[str], dict[str, str]]:
    failed, messages = broken
    return failed & rules, {rule: text for rule, text in messages.items() if rule in rules}


def test_mart_suite_passes_a_consistent_mart_and_fails_loudly_on_a_broken_one(admin_conn):
    with admin_conn.cursor() as cur:
        _build_marts(cur)
    outcome = validate_marts(admin_conn, schema="test_marts")
    assert outcome.problems == []
    # 27 targets x 2 months, 2 obligations, 3 cluster members x 2 months, KT03 as of June
    assert outcome.rows_checked == 27 * 2 + 2 + 3 * 2 + 1

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
        assert cur.fetchone() == ("model", "test_marts", False, 3)


COMPLIANCE_RULES = {"obligation_missing", "obligation_unknown", "obligation_differs"}
CLUSTER_RULES = {"cluster_member_not_ranked", "cluster_member_outside_ranking"}


def test_compliance_must_hold_exactly_the_calendars_obligations(broken_marts):
    failed, messages = _only(broken_marts, COMPLIANCE_RULES)
    assert failed == {"obligation_missing", "obligation_differs"}
    assert messages == {
        "obligation_missing": (
            "Thiếu dòng tình hình báo cáo của congan: traffic_accidents kỳ 2022-06 (có trong lịch báo cáo)."
        ),
        "obligation_differs": (
            "Tình hình báo cáo new_forest_area kỳ 2022-06 khác lịch báo cáo: hạn 25/07/2022 thay vì 20/07/2022,"
            " 17 đơn vị phải báo cáo thay vì 2."
        ),
    }


def test_every_cluster_member_is_ranked_in_its_cluster_and_the_district(broken_marts):
    failed, messages = _only(broken_marts, CLUSTER_RULES)
    assert failed == CLUSTER_RULES
    assert messages == {
        "cluster_member_not_ranked": ("Đơn vị noivu của cụm C1 có 0 dòng xếp hạng trong cụm kỳ 2022-07 thay vì một."),
        "cluster_member_outside_ranking": (
            "Đơn vị AN_SON của cụm C1 không có trong bảng xếp hạng thi đua chung kỳ 2022-06."
        ),
    }


def test_a_district_measure_is_the_sum_of_its_complete_units(broken_marts):
    failed, messages = _only(broken_marts, {"district_not_sum_of_units"})
    assert failed == {"district_not_sum_of_units"}
    assert messages == {
        "district_not_sum_of_units": "Chỉ tiêu KT03, kỳ 2022-06: số toàn huyện 4.600 khác tổng của 2 đơn vị (4.500)."
    }


def test_the_broken_copy_breaks_nothing_else(broken_marts):
    """Each break shows under its own invariant only: the attainment checks still pass."""
    failed, _messages = broken_marts
    assert failed == COMPLIANCE_RULES - {"obligation_unknown"} | CLUSTER_RULES | {"district_not_sum_of_units"}


def test_a_check_without_rows_keeps_its_columns_for_the_suite(admin_conn):
    """No cluster sent yet: the suite still finds every column it names (GX raises otherwise)."""
    with admin_conn.cursor() as cur:
        _build_marts(cur)
        cur.execute("truncate test_marts.dim_emulation_cluster_member")
    frame = checks_frame(admin_conn, "test_marts")
    assert sorted(frame["check_name"].unique()) == ["attainment", "compliance", "district"]
    assert {"rows_per_member", "in_ranking", "cluster_code", "unit_code"} <= set(frame.columns)


def test_data_docs_are_built_under_platform_home(platform_home):
    sheet = Sheet()
    sheet.add("criminal_offences", "VAN_QUAN", "2022-05", 3)
    validate_submission(sheet.rows, "congan", source_label="docs.xlsx")
    index = build_data_docs()
    assert index == settings.paths().data_docs / "index.html"
    assert index.is_file()
    assert (settings.paths().data_docs / "expectations" / "submission_congan.html").is_file()
    # The run the masks judged and recorded (GX's own engine beside it stores "agreement:…").
    recorded = settings.paths().data_docs / "validations" / "submission_congan" / "congan:docs.xlsx"
    assert [p.name for p in recorded.rglob("*.html")] == ["platform_frames-submission_rows.html"]
    html = next(recorded.rglob("*.html")).read_text("utf-8")
    page = " ".join(re.sub(r"<(style|script)\b.*?</\1>|<[^>]+>", " ", html, flags=re.S).split())
    assert "Expectation Suite: submission_congan" in page and "Status: Succeeded" in page
    assert "values must belong to this set:" in page and " criminal_offences " in page
    assert not (settings.EXPECTATIONS_DIR / "uncommitted").exists() or not any(
        (settings.EXPECTATIONS_DIR / "uncommitted").rglob("*.json")
    )
