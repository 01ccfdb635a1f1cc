"""The three shipped sources pulled through the real code path into the real warehouse."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import psycopg2
import pytest

from ingest.systems.pull import pull
from standins import figures, treasury
from standins.http_server import BHXH_PATH, TOURISM_PATH

VN = timezone(timedelta(hours=7))


def _pull_row(admin_conn, file_id: int) -> dict:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select source_kind, source_name, office_code, status, rows_read, rows_loaded, watermark, stored_path"
            " from audit.ingest_files where file_id = %s",
            (file_id,),
        )
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def _figures(admin_conn, file_id: int) -> dict[tuple[str, str, str], Decimal]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select indicator_code, admin_unit_code, period_code, value from raw.submitted_figures where file_id = %s",
            (file_id,),
        )
        return {(i, u, p): v for i, u, p, v in cur.fetchall()}


def _watermark(admin_conn, name: str) -> str | None:
    with admin_conn.cursor() as cur:
        cur.execute("select watermark from raw.source_watermarks where source_name = %s", (name,))
        row = cur.fetchone()
    return row[0] if row else None


def _forget_watermark(admin_conn, name: str) -> None:
    """Start from a first, full pull whatever ran before (another test, the DAG test).

    The figures an earlier pull loaded go too: a pull recognises what its source already
    loaded and would not load it again.
    """
    with admin_conn.cursor() as cur:
        cur.execute("delete from raw.source_watermarks where source_name = %s", (name,))
        cur.execute("delete from raw.submitted_figures where source_name = %s", (name,))


def test_bhxh_pull_loads_every_commune_month_then_only_changes(standin, admin_conn) -> None:
    _forget_watermark(admin_conn, "bhxh")
    outcome = pull("bhxh")

    assert outcome.rows_loaded == 17 * 24 * 2
    audit = _pull_row(admin_conn, outcome.file_id)
    assert audit["source_kind"] == "http_json"
    assert audit["source_name"] == "bhxh"
    assert audit["office_code"] == "bhxh"
    assert audit["status"] == outcome.status
    assert audit["rows_loaded"] == 816
    assert audit["watermark"] == "2023-01-10T02:00:00Z"  # the newest change time served
    assert _watermark(admin_conn, "bhxh") == "2023-01-10T02:00:00Z"

    loaded = _figures(admin_conn, outcome.file_id)
    expected = {r.unit_code: r for r in figures.coverage() if (r.year, r.month) == (2022, 12)}
    assert loaded[("people_health_insured", "KHANH_KHE", "2022-12")] == expected["KHANH_KHE"].insured
    assert loaded[("population", "TT_VAN_QUAN", "2022-12")] == expected["TT_VAN_QUAN"].population
    insured = sum(v for (i, _u, p), v in loaded.items() if i == "people_health_insured" and p == "2022-12")
    people = sum(v for (i, _u, p), v in loaded.items() if i == "population" and p == "2022-12")
    assert (insured, people) == (56241, 58100)  # 96.80 %: the XH04 target of 98 % is missed
    with admin_conn.cursor() as cur:
        cur.execute(
            "select distinct source_kind, source_name, office_code from raw.submitted_figures where file_id = %s",
            (outcome.file_id,),
        )
        assert cur.fetchall() == [("http_json", "bhxh", "bhxh")]

    # Nothing changed since: the pull asks for changes since the watermark minus the overlap
    # window (one day), recognises what it already loaded, records itself, loads nothing.
    again = pull("bhxh")
    assert standin.api_requests(BHXH_PATH)[-1]["updated_since"] == "2023-01-09T02:00:00Z"
    assert (again.status, again.rows_loaded) == ("loaded", 0)
    assert _figures(admin_conn, again.file_id) == {}
    assert _pull_row(admin_conn, again.file_id)["rows_loaded"] == 0

    # The office corrects one commune-month: the next pull brings exactly that record.
    standin.state.revise_coverage("HUU_LE", 2022, 11, 2900, datetime(2023, 2, 1, 8, 0, tzinfo=VN))
    third = pull("bhxh")
    assert _figures(admin_conn, third.file_id) == {
        ("people_health_insured", "HUU_LE", "2022-11"): Decimal(2900),
        ("population", "HUU_LE", "2022-11"): next(
            Decimal(r.population) for r in figures.coverage() if (r.unit_code, r.year, r.month) == ("HUU_LE", 2022, 11)
        ),
    }
    assert _watermark(admin_conn, "bhxh") == "2023-02-01T01:00:00Z"


def test_treasury_pull_reads_the_database_read_only(treasury_db, admin_conn) -> None:
    _forget_watermark(admin_conn, "treasury")
    outcome = pull("treasury")

    assert outcome.rows_loaded == 24
    audit = _pull_row(admin_conn, outcome.file_id)
    assert (audit["source_kind"], audit["source_name"], audit["office_code"]) == ("sql", "treasury", "tckh")
    loaded = _figures(admin_conn, outcome.file_id)
    assert sum(v for (_i, u, p), v in loaded.items() if p.startswith("2022") and u == "VAN_QUAN") == Decimal("17850.0")
    assert sum(v for (_i, _u, p), v in loaded.items() if p.startswith("2021")) == Decimal("18200")
    assert loaded[("budget_revenue", "VAN_QUAN", "2022-12")] == figures.revenue()[-1].amount_million_vnd

    assert pull("treasury").rows_loaded == 0

    treasury.revise("2022-06-01", Decimal("1600.5"), datetime(2023, 3, 1, 9, 0, tzinfo=VN))
    fix = pull("treasury")
    assert _figures(admin_conn, fix.file_id) == {("budget_revenue", "VAN_QUAN", "2022-06"): Decimal("1600.5")}
    assert _watermark(admin_conn, "treasury").startswith("2023-03-01T02:00:00")


def test_treasury_reader_cannot_write(treasury_db) -> None:
    from ingest.systems import connections

    conn = psycopg2.connect(connections.get("treasury_db").sqlalchemy_url().replace("+psycopg2", ""))
    try:
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction), conn.cursor() as cur:
            cur.execute("create table budget.x (a int)")
    finally:
        conn.close()


def test_tourism_pull_follows_cursors(standin, admin_conn) -> None:
    _forget_watermark(admin_conn, "tourism")
    outcome = pull("tourism")

    assert outcome.rows_loaded == 24
    requests = standin.api_requests(TOURISM_PATH)
    assert len(requests) == 3  # 24 months, 10 a page
    assert "cursor" not in requests[0] and requests[1]["cursor"] != requests[2]["cursor"]
    audit = _pull_row(admin_conn, outcome.file_id)
    assert (audit["source_kind"], audit["source_name"], audit["office_code"]) == ("http_json", "tourism", "vhtt")
    loaded = _figures(admin_conn, outcome.file_id)
    assert sum(v for (_i, _u, p), v in loaded.items() if p.startswith("2022")) == 6850  # target 5,000 exceeded
    assert loaded[("tourist_visits", "VAN_QUAN", "2022-02")] == 950  # the spring-festival month
    assert pull("tourism").rows_loaded == 0
