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
