"""Each database role can do its job and nothing more; nothing runs as a superuser."""

from __future__ import annotations

from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from core import settings


def connect(role: str):
    conn = psycopg2.connect(**settings.role_dsn(role))
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def marts_table(platform_home: Path) -> str:
    """A table in marts owned by the transformer, as dbt would leave it."""
    conn = connect("transformer")
    with conn.cursor() as cur:
        cur.execute("create table if not exists marts.security_probe (x int)")
        cur.execute("grant select on marts.security_probe to vq_reader")
    conn.close()
    return "marts.security_probe"


@pytest.mark.parametrize("role", ["loader", "transformer", "reader", "airflow", "superset"])
def test_no_platform_role_is_privileged(platform_home: Path, role: str) -> None:
    database = {"airflow": "airflow", "superset": "superset"}.get(role, settings.WAREHOUSE_DB)
    conn = psycopg2.connect(**settings.role_dsn(role, database))
    with conn.cursor() as cur:
        cur.execute("select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")
        assert cur.fetchone() == (False, False, False)
    conn.close()


@pytest.mark.parametrize(
    ("role", "statement", "allowed"),
    [
        ("reader", "select count(*) from {marts}", True),
        ("reader", "select count(*) from raw.submitted_figures", False),
        ("reader", "select count(*) from audit.ingest_files", False),
        ("reader", "insert into {marts} values (1)", False),
        ("reader", "create table marts.reader_table (x int)", False),
        ("loader", "select count(*) from raw.submitted_figures", True),
        ("loader", "update raw.submitted_figures set value = 0", False),
        ("loader", "delete from raw.submitted_figures", False),
        ("loader", "truncate raw.submitted_figures", False),
        ("loader", "update audit.ingest_files set status = 'failed'", False),
        ("loader", "delete from audit.ingest_problems", False),
        ("loader", "alter table raw.submitted_figures add column y int", False),
        ("loader", "create table raw.loader_table (x int)", False),
        ("loader", "update raw.source_watermarks set watermark = watermark", True),
        ("loader", "insert into {marts} values (1)", False),
        ("loader", "drop table {marts}", False),
        ("loader", "alter table {marts} add column y int", False),
        ("transformer", "select count(*) from raw.submitted_figures", True),
        ("transformer", "delete from raw.submitted_figures", False),
        (
            "transformer",
            "insert into audit.ingest_problems (file_id, severity, rule, message_vi, message_en)"
            " values (1, 'error', 'x', 'x', 'x')",
            False,
        ),
        ("airflow", "select count(*) from raw.submitted_figures", False),
        ("superset", "select count(*) from {marts}", False),
    ],
)
def test_what_each_role_may_and_may_not_do(
    platform_home: Path, marts_table: str, role: str, statement: str, allowed: bool
) -> None:
    if role in ("airflow", "superset"):
        # The metadata roles may not even connect to the warehouse.
        with pytest.raises(psycopg2.OperationalError, match="CONNECT privilege"):
            psycopg2.connect(**settings.role_dsn(role))
        return
    conn = connect(role)
    try:
        with conn.cursor() as cur:
            if allowed:
                cur.execute(statement.format(marts=marts_table))
            else:
                with pytest.raises((errors.InsufficientPrivilege, errors.UndefinedTable)):
                    cur.execute(statement.format(marts=marts_table))
    finally:
        conn.close()


def test_the_warehouse_refuses_a_wrong_password(platform_home: Path) -> None:
    with pytest.raises(psycopg2.OperationalError):
        psycopg2.connect(**{**settings.role_dsn("reader"), "password": "wrong"})


def test_history_belongs_to_a_role_nobody_logs_in_as(platform_home: Path, admin_conn) -> None:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select distinct tableowner from pg_tables where schemaname in ('raw', 'audit')"
            " union select distinct pg_get_userbyid(nspowner)::name from pg_namespace where nspname in ('raw', 'audit')"
        )
        assert cur.fetchall() == [("vq_history",)]
        cur.execute("select rolcanlogin from pg_roles where rolname = 'vq_history'")
        assert cur.fetchone() == (False,)


def test_bootstrap_hands_an_older_loader_owned_table_over(platform_home: Path, admin_conn) -> None:
    """A warehouse bootstrapped before vq_history existed had its history owned by the loader."""
    from warehouse.bootstrap import bootstrap

    with admin_conn.cursor() as cur:
        cur.execute("set role vq_loader")
        cur.execute("drop table if exists audit.legacy_probe")
        cur.execute("reset role")
        cur.execute("grant create on schema audit to vq_loader")
        cur.execute("set role vq_loader")
        cur.execute("create table audit.legacy_probe (id bigserial primary key, x int)")
        cur.execute("reset role")
        cur.execute("revoke create on schema audit from vq_loader")
    admin_conn.commit()
    bootstrap()
    with admin_conn.cursor() as cur:
        cur.execute("select tableowner from pg_tables where schemaname = 'audit' and tablename = 'legacy_probe'")
        assert cur.fetchone() == ("vq_history",)
    conn = connect("loader")
    try:
        with conn.cursor() as cur:
            cur.execute("insert into audit.legacy_probe (x) values (1)")
            with pytest.raises(errors.InsufficientPrivilege):
                cur.execute("delete from audit.legacy_probe")
    finally:
        conn.close()
        with admin_conn.cursor() as cur:
            cur.execute("drop table audit.legacy_probe")
        admin_conn.commit()
