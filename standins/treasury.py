"""The stand-in treasury database: a second database ``treasury`` on the platform's server.

Created as superuser (bootstrap-style, idempotent) with a read-only login role for the
connector, so the pull exercises real PostgreSQL permissions and a read-only transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

from core import settings
from standins import figures

DATABASE = "treasury"
READER = "treasury_reader"


def reader_password() -> str:
    return settings.secret("TREASURY_READER_PASSWORD", "demo-treasury-reader")


_TABLE = """
create schema if not exists budget;
create table if not exists budget.revenue_monthly (
    month_start date primary key,
    amount_million_vnd numeric(14, 1) not null,
    status text not null check (status in ('chinh_thuc', 'uoc')),
    updated_at timestamptz not null
);
"""


def setup() -> str:
    """Create (or reset) the database, its sample figures and the reader; the connection JSON."""
    conn = psycopg2.connect(settings.admin_url("postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("select 1 from pg_roles where rolname = %s", (READER,))
        verb = "alter" if cur.fetchone() else "create"
        cur.execute(
            sql.SQL(verb + " role {} with login nosuperuser nocreatedb nocreaterole password %s").format(
                sql.Identifier(READER)
            ),
            (reader_password(),),
        )
        cur.execute(sql.SQL("alter role {} set default_transaction_read_only = on").format(sql.Identifier(READER)))
        cur.execute("select 1 from pg_database where datname = %s", (DATABASE,))
        if not cur.fetchone():
            cur.execute(sql.SQL("create database {}").format(sql.Identifier(DATABASE)))
        cur.execute(sql.SQL("revoke connect on database {} from public").format(sql.Identifier(DATABASE)))
        cur.execute(
            sql.SQL("grant connect on database {} to {}").format(sql.Identifier(DATABASE), sql.Identifier(READER))
        )
    conn.close()

    conn = psycopg2.connect(settings.admin_url(DATABASE))
    with conn, conn.cursor() as cur:
        cur.execute(_TABLE)
        cur.execute("truncate budget.revenue_monthly")
        cur.executemany(
            "insert into budget.revenue_monthly (month_start, amount_million_vnd, status, updated_at)"
            " values (%s, %s, %s, %s)",
            [(r.month_start, r.amount_million_vnd, r.status, r.updated_at) for r in figures.revenue()],
        )
        cur.execute(sql.SQL("grant usage on schema budget to {}").format(sql.Identifier(READER)))
        cur.execute(sql.SQL("grant select on budget.revenue_monthly to {}").format(sql.Identifier(READER)))
    conn.close()
    return connection_json()


def revise(month_start: str, amount: Decimal, at: datetime, status: str = "chinh_thuc") -> None:
    """Correct one month, as the treasury would (tests and demos of incremental pulls)."""
    conn = psycopg2.connect(settings.admin_url(DATABASE))
    with conn, conn.cursor() as cur:
        cur.execute(
            "update budget.revenue_monthly set amount_million_vnd = %s, status = %s, updated_at = %s"
            " where month_start = %s",
            (amount, status, at, month_start),
        )
        if cur.rowcount != 1:
            raise KeyError(month_start)
    conn.close()


def connection_json() -> str:
    """``AIRFLOW_CONN_TREASURY_DB`` for the read-only role."""
    parts = urlsplit(settings.admin_url(DATABASE))
    return json.dumps(
        {
            "conn_type": "postgres",
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "login": READER,
            "password": reader_password(),
            "schema": DATABASE,
        }
    )
