"""Create the roles, databases, schemas and tables of the platform (idempotent).

Runs as the PostgreSQL superuser, once per start; nothing else uses that account.
Roles: ``vq_loader`` writes raw figures and audit rows, ``vq_transformer`` runs dbt,
``vq_reader`` (Superset) reads the marts only; ``vq_airflow`` and ``vq_superset`` own
the two metadata databases.
"""

from __future__ import annotations

from pathlib import Path

import psycopg2
from psycopg2 import sql

from core import settings

SQL_DIR = Path(__file__).parent / "sql"
LOGIN_ROLES = ("loader", "transformer", "reader", "airflow", "superset")
METADATA_DATABASES = {"airflow": "airflow", "superset": "superset"}


def _ensure_role(cur, role: str) -> None:
    name = settings.role_name(role)
    cur.execute("select 1 from pg_roles where rolname = %s", (name,))
    verb = "alter" if cur.fetchone() else "create"
    cur.execute(
        sql.SQL(verb + " role {} with login nosuperuser nocreatedb nocreaterole password %s").format(
            sql.Identifier(name)
        ),
        (settings.role_password(role),),
    )


def _ensure_database(cur, name: str, owner: str) -> None:
    cur.execute("select 1 from pg_database where datname = %s", (name,))
    if not cur.fetchone():
        cur.execute(sql.SQL("create database {} owner {}").format(sql.Identifier(name), sql.Identifier(owner)))


def bootstrap() -> None:
    """Bring the server to the shape the platform expects; safe to run any number of times."""
    conn = psycopg2.connect(settings.admin_url("postgres"))
    conn.autocommit = True
    with conn.cursor() as cur:
        for role in LOGIN_ROLES:
            _ensure_role(cur, role)
        _ensure_database(cur, settings.WAREHOUSE_DB, "postgres")
        for role, database in METADATA_DATABASES.items():
            _ensure_database(cur, database, settings.role_name(role))
        cur.execute(sql.SQL("revoke connect on database {} from public").format(sql.Identifier(settings.WAREHOUSE_DB)))
        for role in ("loader", "transformer", "reader"):
            cur.execute(
                sql.SQL("grant connect on database {} to {}").format(
                    sql.Identifier(settings.WAREHOUSE_DB), sql.Identifier(settings.role_name(role))
                )
            )
    conn.close()

    conn = psycopg2.connect(settings.admin_url(settings.WAREHOUSE_DB))
    with conn, conn.cursor() as cur:
        cur.execute((SQL_DIR / "010_schemas.sql").read_text())
        cur.execute("set role vq_loader")
        for path in sorted(SQL_DIR.glob("0[2-9]*.sql")):
            cur.execute(path.read_text())
        cur.execute("reset role")
        cur.execute("grant select on all tables in schema raw, audit to vq_transformer")
        cur.execute("grant select on all tables in schema marts to vq_reader")
    conn.close()


if __name__ == "__main__":
    bootstrap()
