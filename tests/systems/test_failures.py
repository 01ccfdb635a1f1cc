"""How pulls fail: refused credentials, server errors, time-outs, dropped pages, new shapes."""

from __future__ import annotations

import dataclasses

import pytest

from ingest.systems.errors import (
    SourceAuthError,
    SourceConfigError,
    SourceIncompleteError,
    SourceRequestError,
    SourceShapeError,
    SourceUnavailableError,
)
from ingest.systems.pull import pull
from standins.http_server import BHXH_PATH, TOURISM_PATH


def _files(admin_conn, source_name: str) -> list[tuple[str, int]]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select status, rows_loaded from audit.ingest_files where source_name = %s order by file_id",
            (source_name,),
        )
        return cur.fetchall()


def _figure_count(admin_conn, source_name: str) -> int:
    with admin_conn.cursor() as cur:
        cur.execute("select count(*) from raw.submitted_figures where source_name = %s", (source_name,))
        return cur.fetchone()[0]


def _problems(admin_conn, source_name: str) -> list[tuple[str, str]]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select p.rule, p.message_vi from audit.ingest_problems p join audit.ingest_files f using (file_id)"
            " where f.source_name = %s order by p.problem_id",
            (source_name,),
        )
        return cur.fetchall()


def test_refused_token_stops_at_once_without_retry(standin, variant, admin_conn) -> None:
    spec = variant("bhxh")
    standin.state.faults.reject_token = True

    with pytest.raises(SourceAuthError, match=r"HTTP 401 .* credentials of connection bhxh_api refused"):
        pull(spec)

    assert len(standin.api_requests(BHXH_PATH)) == 1
    assert _files(admin_conn, spec.name) == []


def test_wrong_basic_password_is_an_auth_error(standin, variant, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_TOURISM_API", f"http://vhtt:wrong@127.0.0.1:{standin.port}")
    with pytest.raises(SourceAuthError):
        pull(variant("tourism"))
    assert len(standin.api_requests(TOURISM_PATH)) == 1


def test_server_errors_are_retried_until_it_recovers(standin, variant, admin_conn) -> None:
    spec = variant("bhxh")
    standin.state.faults.fail_5xx = 2

    outcome = pull(spec)

    assert outcome.rows_loaded == 816
    assert len(standin.api_requests(BHXH_PATH)) == 5 + 2  # five pages, two answered 500 first


def test_server_errors_that_persist_give_up_after_the_retries(standin, variant, admin_conn) -> None:
    spec = variant("bhxh", retries=2)
    standin.state.faults.fail_5xx = 100

    with pytest.raises(SourceUnavailableError, match=r"gave up after 3 attempts .* HTTP 500"):
        pull(spec)

    assert len(standin.api_requests(BHXH_PATH)) == 3
    assert _files(admin_conn, spec.name) == []


def test_a_time_out_is_retried(standin, variant, admin_conn) -> None:
    spec = variant("tourism", timeout_seconds=0.3)
    standin.state.faults.delay_seconds = 1.0
    standin.state.faults.delay_count = 1

    outcome = pull(spec)

    assert outcome.rows_loaded == 24
    assert len(standin.api_requests(TOURISM_PATH)) == 3 + 1


def test_a_system_that_keeps_timing_out_is_unavailable(standin, variant) -> None:
    spec = variant("tourism", timeout_seconds=0.2, retries=1)
    standin.state.faults.delay_seconds = 0.6
    standin.state.faults.delay_count = 10

    with pytest.raises(SourceUnavailableError, match="ReadTimeout"):
        pull(spec)


@pytest.mark.parametrize("name", ["bhxh", "tourism"])
def test_a_missing_page_loads_nothing(standin, variant, admin_conn, name) -> None:
    spec = variant(name)
    standin.state.faults.drop_page = 2

    with pytest.raises(SourceIncompleteError):
        pull(spec)

    assert _files(admin_conn, spec.name) == [("quarantined", 0)]
    assert _figure_count(admin_conn, spec.name) == 0
    assert _problems(admin_conn, spec.name)[0][0] == "source_incomplete"


@pytest.mark.parametrize("shape", ["rename_field", "string_values", "no_records"])
def test_a_changed_shape_loads_nothing_and_keeps_earlier_data(standin, variant, admin_conn, shape) -> None:
    spec = variant("bhxh")
    first = pull(spec)
    assert first.rows_loaded == 816
    with admin_conn.cursor() as cur:
        cur.execute("select watermark from raw.source_watermarks where source_name = %s", (spec.name,))
        mark_before = cur.fetchone()[0]

    standin.state.faults.shape = shape
    standin.state.revise_coverage("AN_SON", 2022, 12, 1, first_change_after(mark_before))
    with pytest.raises(SourceShapeError) as raised:
        pull(spec)

    expected = {
        "rename_field": "field 'insured' is missing",
        "string_values": "field 'insured' should be number, got str '",
        "no_records": "'data' is missing or not a list",
    }[shape]
    assert expected in str(raised.value)
    assert [s for s, _n in _files(admin_conn, spec.name)] == [first.status, "quarantined"]
    assert _figure_count(admin_conn, spec.name) == 816
    rule, message_vi = _problems(admin_conn, spec.name)[-1]
    assert rule == "source_shape_changed"
    assert message_vi.startswith("Dữ liệu lấy từ hệ thống")
    with admin_conn.cursor() as cur:
        cur.execute("select watermark from raw.source_watermarks where source_name = %s", (spec.name,))
        assert cur.fetchone()[0] == mark_before


def first_change_after(mark: str):
    from datetime import datetime, timedelta

    return datetime.fromisoformat(mark) + timedelta(days=1)


def test_a_query_that_writes_is_refused_before_it_is_sent(treasury_db, variant) -> None:
    spec = variant("treasury")
    spec = dataclasses.replace(spec, query="update budget.revenue_monthly set status = 'uoc' where :since is not null")
    with pytest.raises(SourceConfigError, match="query refused: it starts with UPDATE"):
        pull(spec)


def test_a_writing_cte_is_refused_by_the_read_only_transaction(treasury_db, variant, monkeypatch) -> None:
    """Even through an account that may write (here the superuser), the transaction is read-only."""
    import json

    from core import settings

    conn = json.loads(treasury_db)
    monkeypatch.setenv(
        "AIRFLOW_CONN_TREASURY_DB", json.dumps({**conn, "login": "postgres", "password": settings.admin_password()})
    )
    spec = dataclasses.replace(
        variant("treasury"),
        query="with gone as (delete from budget.revenue_monthly where :since is not null returning *)"
        " select * from gone",
    )
    with pytest.raises(SourceRequestError, match=r"read-only transaction|data-modifying"):
        pull(spec)


def test_a_wrong_database_password_is_an_auth_error(treasury_db, variant, monkeypatch) -> None:
    import json

    conn = json.loads(treasury_db)
    monkeypatch.setenv("AIRFLOW_CONN_TREASURY_DB", json.dumps({**conn, "password": "wrong"}))
    with pytest.raises(SourceAuthError, match="refused the credentials"):
        pull(variant("treasury"))
