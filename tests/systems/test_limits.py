"""Bounds on a pull: answer size, row count, statement and connect time-outs, read-only SQL."""

from __future__ import annotations

import dataclasses
import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psycopg2
import pytest

from ingest.systems import connections, sql_source
from ingest.systems.errors import (
    SourceConfigError,
    SourceTooLargeError,
    SourceUnavailableError,
)
from ingest.systems.pull import pull
from ingest.systems.spec import Limits


def _problems(admin_conn, source_name: str) -> list[str]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select p.rule from audit.ingest_problems p join audit.ingest_files f using (file_id)"
            " where f.source_name = %s order by p.problem_id",
            (source_name,),
        )
        return [r for (r,) in cur.fetchall()]


def _with_limits(spec, **limits):
    return dataclasses.replace(spec, limits=dataclasses.replace(spec.limits, **limits))


# ------------------------------------------------------------------ HTTP answers
def test_an_answer_declaring_more_than_the_cap_is_refused(standin, variant, admin_conn) -> None:
    spec = _with_limits(variant("bhxh"), max_body_bytes=2000)
    with pytest.raises(SourceTooLargeError, match=r"declares \d+ bytes; the limit is 2000 bytes"):
        pull(spec)
    assert _problems(admin_conn, spec.name) == ["source_too_large"]


class _Endless(BaseHTTPRequestHandler):
    """Streams JSON-looking bytes with no Content-Length until the client hangs up."""

    sent = 0

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"data": [')
        try:
            for _ in range(100_000):  # 6.4 GB if nobody stopped reading
                self.wfile.write(b"1," * 32 * 1024)
                type(self).sent += 64 * 1024
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture()
def endless_server(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(
        "AIRFLOW_CONN_BHXH_API",
        json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": server.server_port, "password": "t"}),
    )
    yield server
    server.shutdown()
    server.server_close()


def test_a_streamed_answer_is_cut_at_the_cap(platform_home, endless_server, variant, admin_conn) -> None:
    spec = _with_limits(variant("bhxh"), max_body_bytes=1_000_000)
    started = time.monotonic()
    with pytest.raises(SourceTooLargeError, match="went past 1000000 bytes while streaming"):
        pull(spec)
    assert time.monotonic() - started < 20
    assert _Endless.sent < 50 * 1024 * 1024  # the client stopped reading long before the end
    assert _problems(admin_conn, spec.name) == ["source_too_large"]


def test_too_many_records_stop_the_pull(standin, variant) -> None:
    spec = _with_limits(variant("bhxh"), max_records=150)
    with pytest.raises(SourceTooLargeError, match="more than 150 records"):
        pull(spec)


# ------------------------------------------------------------------ SQL
def test_too_many_rows_stop_the_pull(treasury_db, variant, admin_conn) -> None:
    spec = _with_limits(variant("treasury"), max_records=5)
    with pytest.raises(SourceTooLargeError, match=r"more than 5 rows \(limits.max_records\)"):
        pull(spec)
    assert _problems(admin_conn, spec.name) == ["source_too_large"]


def test_a_long_query_is_cancelled_by_the_statement_timeout(treasury_db, variant) -> None:
    spec = dataclasses.replace(
        _with_limits(variant("treasury"), statement_timeout_seconds=0.5),
        query="select month_start, amount_million_vnd, status, updated_at from budget.revenue_monthly,"
        " pg_sleep(30) where updated_at > cast(:since as timestamptz)",
    )
    started = time.monotonic()
    with pytest.raises(SourceUnavailableError, match=r"longer than 0\.5 s"):
        pull(spec)
    assert time.monotonic() - started < 10


def test_an_unanswering_database_hits_the_connect_timeout(platform_home, variant, monkeypatch) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)  # accepts TCP, never speaks PostgreSQL
    try:
        monkeypatch.setenv(
            "AIRFLOW_CONN_TREASURY_DB",
            json.dumps(
                {
                    "conn_type": "postgres",
                    "host": "127.0.0.1",
                    "port": silent.getsockname()[1],
                    "login": "x",
                    "password": "y",
                    "schema": "treasury",
                }
            ),
        )
        spec = _with_limits(variant("treasury"), connect_timeout_seconds=2)
        started = time.monotonic()
        with pytest.raises(SourceUnavailableError, match="database unavailable"):
            pull(spec)
        assert time.monotonic() - started < 15
    finally:
        silent.close()


ESCAPES = [
    "select 1; commit; delete from budget.revenue_monthly",
    "commit; delete from budget.revenue_monthly",
    "SET TRANSACTION READ WRITE",
    "set session characteristics as transaction read write",
    "select 1;\nupdate budget.revenue_monthly set status = 'uoc'",
    "/* harmless */ delete from budget.revenue_monthly",
    "begin; delete from budget.revenue_monthly; commit",
    "copy budget.revenue_monthly to '/tmp/x'",
]


@pytest.mark.parametrize("query", ESCAPES)
def test_a_query_escaping_the_read_only_transaction_is_refused(treasury_db, variant, admin_conn, query) -> None:
    spec = dataclasses.replace(variant("treasury"), query=query)
    with pytest.raises(SourceConfigError, match="query refused"):
        pull(spec)
    from core import settings

    check = psycopg2.connect(settings.admin_url("treasury"))
    try:
        with check.cursor() as cur:
            cur.execute("select count(*), count(*) filter (where status = 'uoc') from budget.revenue_monthly")
            assert cur.fetchone() == (24, 0)
    finally:
        check.close()


def test_a_session_after_an_escaped_commit_would_still_be_read_only(treasury_db) -> None:
    """The guard below the statement check: the session's default is read-only too."""
    spec_conn = connections.get("treasury_db")
    engine = sql_source._postgres_engine(sql_source._url(_FakeSpec, spec_conn), Limits())
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("show default_transaction_read_only").scalar() == "on"
            assert conn.exec_driver_sql("show statement_timeout").scalar() == "1min"
    finally:
        engine.dispose()


class _FakeSpec:
    name = "probe"


def test_only_dialects_with_enforced_read_only_are_accepted() -> None:
    for url in ("mysql://u:p@h/db", "mssql+pyodbc://u:p@h/db", "oracle://u:p@h/db", "postgresql+asyncpg://h/db"):
        conn = connections.ConnectionInfo("x", "generic", extra={"sqlalchemy_url": url})
        with pytest.raises(SourceConfigError, match="not supported"):
            sql_source._url(_FakeSpec, conn)


@pytest.fixture()
def sqlite_source(tmp_path: Path, variant, monkeypatch):
    path = tmp_path / "office.db"
    db = sqlite3.connect(path)
    db.execute("create table revenue (month_start text, amount real, status text, updated_at text)")
    db.execute("insert into revenue values ('2022-05-01', 1500.5, 'chinh_thuc', '2022-06-10T09:00:00+07:00')")
    db.commit()
    db.close()
    monkeypatch.setenv("AIRFLOW_CONN_OFFICE_DB", json.dumps({"conn_type": "sqlite", "host": str(path)}))
    spec = dataclasses.replace(variant("treasury"), connection="office_db")
    return path, spec


def test_sqlite_is_opened_read_only(sqlite_source) -> None:
    path, spec = sqlite_source
    conn = connections.get("office_db")
    rows = sql_source.fetch(
        dataclasses.replace(spec, query="select * from revenue where updated_at > :since"), conn, {"since": "2000"}
    )
    assert [r["amount"] for r in rows] == [1500.5]
    with pytest.raises(SourceConfigError, match="query refused"):
        sql_source.fetch(dataclasses.replace(spec, query="pragma query_only = off"), conn, {})
    from sqlalchemy import text

    engine = sql_source._engine(spec, conn)
    try:
        with engine.connect() as raw, pytest.raises(Exception, match=r"readonly|read-only|attempt to write"):
            raw.execute(text("delete from revenue"))
    finally:
        engine.dispose()
    assert sqlite3.connect(path).execute("select count(*) from revenue").fetchone() == (1,)


def test_a_long_sqlite_query_is_interrupted(sqlite_source) -> None:
    _path, spec = sqlite_source
    spin = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000000000)"
        " select count(*) as c from n"
    )
    spec = dataclasses.replace(_with_limits(spec, statement_timeout_seconds=0.3), query=spin)
    started = time.monotonic()
    with pytest.raises(SourceUnavailableError, match=r"longer than 0\.3 s"):
        sql_source.fetch(spec, connections.get("office_db"), {})
    assert time.monotonic() - started < 10
