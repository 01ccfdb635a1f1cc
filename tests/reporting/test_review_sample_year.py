"""The sample year (the demo's synthetic offices, sent up to June 2022) on a dbt-built warehouse.

The figures of ``sampledata`` are written as the loader would (one file per submission, at
its sending time), so the year replays in order without the inbox's parsing. Checked: the
reminders' calendar and the compliance mart agree on every obligation; the mid-year pack
builds and names only what is really missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg2
import pytest
from reporting_support import VN, write_figures
from test_review_warehouse import _assert_python_and_sql_agree

from core import catalog as catalog_mod
from core import settings
from reporting import review_data, review_pack
from sampledata.generate import month_end, plan
from transform.dbt_runner import run_dbt


@pytest.fixture(scope="module")
def sample_year(fresh_warehouse: Path) -> Path:
    cat = catalog_mod.default()
    _values, submissions = plan(cat, 42, month_end("2022-06"))
    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    try:
        for sub in submissions:
            rows = [(r.indicator, r.period, r.unit, r.value, r.value_type) for r in sub.rows]
            write_figures(conn, sub.office, sub.submitted_at.replace(tzinfo=VN), rows)
    finally:
        conn.close()
    run_dbt(["seed"])
    run_dbt(["run", "--full-refresh"])  # the incremental figure versions must forget the truncated rows
    return fresh_warehouse


def _as_of(conn) -> date:
    with conn.cursor() as cur:
        cur.execute("select max(received_at)::date from audit.ingest_files")
        return cur.fetchone()[0]


def test_python_and_sql_agree_on_the_sample_year(sample_year, admin_conn) -> None:
    _assert_python_and_sql_agree(admin_conn, _as_of(admin_conn))


def test_every_obligation_up_to_june_is_met_in_the_sample_year(sample_year, admin_conn) -> None:
    with admin_conn.cursor() as cur:
        cur.execute(
            """select compliance_status, is_baseline, count(*), sum(units_missing), min(units_expected)
               from marts.fct_reporting_compliance where plan_year = 2022 and period_end <= '2022-06-30'
               group by 1, 2 order by 1, 2"""
        )
        rows = cur.fetchall()
    assert {status for status, *_ in rows} <= {"dung_han", "tre_han"}
    assert all(missing == 0 and expected >= 1 for *_, missing, expected in rows)
    assert sum(n for _s, baseline, n, *_ in rows if baseline) == 10  # the ten baseline indicators of 2022


def test_packs_of_every_month_to_june_build_and_name_nothing_missing(sample_year) -> None:
    for month in range(1, 7):
        as_of = f"2022-{month:02d}"
        pack = review_pack.build(as_of, made_on=date(2022, 7, 25))
        assert pack.workbook.is_file() and pack.pdf.is_file() and pack.targets == 27
        assert pack.missing == 0, as_of
        data = review_data.read(2022, as_of)
        assert {t.data_as_of for t in data.targets} == {as_of}
        if month % 3 == 0:  # a quarter's end: the quarterly figures are in too (before it, they are not yet due)
            assert "thieu_so_lieu" not in {t.status for t in data.targets}, as_of
