"""dbt build on the real warehouse with a hand-made set of files: exact mart values.

The figures are in tests/dbt/figures.py; every expected number below is worked out by
hand from them (see the comments).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest import settings
from ingest.dbt_runner import run_dbt
from tests.dbt import figures


@pytest.fixture(scope="module")
def built(platform_home: Path) -> Path:
    """Load the first batch, build; then the actual Q1 output arrives and dbt builds again."""
    figures.load_baseline_and_first_quarter()
    run_dbt(["build"])
    figures.load_actual_first_quarter_output()
    run_dbt(["build"])  # incremental: only the re-submitted key is re-ranked
    return platform_home


def _row(conn, sql: str, *params: object) -> tuple:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def _attainment(conn, target: str, period: str) -> tuple:
    return _row(
        conn,
        """select actual_value, baseline_value, status, status_vi, expected_value_now,
                  units_reported, units_expected
           from marts.fct_target_attainment where target_code = %s and as_of_period = %s""",
        target,
        period,
    )


def test_economy_growth_uses_the_actual_that_superseded_the_estimate(built, admin_conn) -> None:
    # Q1 2022: estimate 120, then actual 108.7; Q1 2021: 100 -> growth 8.7 %, inside 8.5-9.
    assert _attainment(admin_conn, "KT01", "2022-03") == (
        Decimal("8.7000"),
        Decimal("100.0000"),
        "dat",
        "Đạt",
        Decimal("8.5000"),
        1,
        1,
    )
    versions = _row(
        admin_conn,
        """select count(*), count(*) filter (where is_current), min(figure_value) filter (where is_current)
           from intermediate.int_figure_versions
           where indicator_code = 'gross_output_value' and period_code = '2022-Q1'""",
    )
    assert versions == (2, 1, Decimal("108.7"))


def test_tourists_count_months_not_the_quarter_twice(built, admin_conn) -> None:
    # 400 + 500 + 350 (the Q1 total of 2000 is not added); steady path 5000 x 3/12 = 1250.
    assert _attainment(admin_conn, "KT08", "2022-03") == (
        Decimal("1250.0000"),
        None,
        "dung_tien_do",
        "Đúng tiến độ",
        Decimal("1250.0000"),
        1,
        1,
    )


def test_health_insurance_is_a_ratio_of_sums(built, admin_conn) -> None:
    # (90 + 990) / (100 + 1000) = 98.18 % >= 98; the mean of 90 % and 99 % would miss it.
    assert _attainment(admin_conn, "XH04", "2022-06") == (
        Decimal("98.1818"),
        None,
        "dat",
        "Đạt",
        Decimal("98.0000"),
        2,
        17,
    )


def test_accidents_fall_against_the_same_months_of_last_year(built, admin_conn) -> None:
    # 19 + 19 + 18 = 56 vs 60 -> 6.67 % fewer; >= 5 x 1.1 so exceeded.
    assert _attainment(admin_conn, "XH07a", "2022-03") == (
        Decimal("6.6667"),
        Decimal("60.0000"),
        "vuot",
        "Vượt",
        Decimal("5.0000"),
        1,
        1,
    )


def test_environment_targets(built, admin_conn) -> None:
    # Forest cover exactly 61 is not "over 61" but holds the path; new forest 150 < 187.5.
    assert _attainment(admin_conn, "MT02", "2022-03")[2] == "dung_tien_do"
    assert _attainment(admin_conn, "MT01", "2022-03") == (
        Decimal("150.0000"),
        None,
        "cham_tien_do",
        "Chậm tiến độ",
        Decimal("187.5000"),
        2,
        17,
    )


def test_every_target_has_a_row_every_month(built, admin_conn) -> None:
    counts = _row(
        admin_conn,
        """select count(*), count(distinct as_of_period), count(*) filter (where status = 'thieu_so_lieu')
           from marts.fct_target_attainment where as_of_period = '2022-06' or as_of_period = '2022-01'""",
    )
    # 27 targets x 2 months; months run to 2022-06, the latest month with data.
    assert counts[:2] == (54, 2)
    assert _row(admin_conn, "select max(as_of_period) from marts.fct_target_attainment") == ("2022-06",)


def test_reporting_compliance(built, admin_conn) -> None:
    rows = {
        r[0]: r[1:]
        for r in _rows(
            admin_conn,
            """select period_code, compliance_status, days_late, rejected_files, last_rejection_reason
               from marts.fct_reporting_compliance where indicator_code = 'tourist_visits'""",
        )
    }
    # Due on the 20th of the next month; judged on the last reception day, 2022-07-15.
    assert rows["2022-01"] == ("dung_han", 0, 0, None)
    assert rows["2022-02"] == ("tre_han", 5, 1, "Không nhận ra cột 'giá trị'")
    assert rows["2022-04"] == ("chua_nop", 56, 0, None)
    assert rows["2022-06"] == ("chua_den_han", None, 0, None)


def test_emulation_ranking_and_reader_access(built, admin_conn) -> None:
    # gddt carries XH01 (1 more school of 2: on pace) and reported on time.
    assert _row(
        admin_conn,
        """select targets_carried, targets_on_track, total_score, rank from marts.fct_emulation_ranking
           where entity_type = 'phong' and entity_code = 'gddt' and as_of_period = '2022-03'""",
    ) == (1, 1, Decimal("100.00"), 1)
    import psycopg2

    conn = psycopg2.connect(**settings.role_dsn("reader"))
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from marts.dim_target")
            assert cur.fetchone() == (27,)
    finally:
        conn.close()


def test_docs_generate_writes_under_platform_home(built) -> None:
    run_dbt(["docs", "generate"])
    assert (settings.paths().dbt_target / "catalog.json").exists()
    assert not (settings.DBT_PROJECT_DIR / "target").exists()


def _rows(conn, sql: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall()
