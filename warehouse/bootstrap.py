"""Create the roles, databases, schemas and tables of the platform (idempotent).

Runs as the PostgreSQL superuser, once per start; nothing else uses that account.
Roles: ``vq_loader`` appends raw figures and audit rows to tables owned by ``vq_history``
(no login), so it can never rewrite the history it adds to; ``vq_transformer`` runs dbt,
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
HISTORY_OWNER = "vq_history"
HISTORY_SCHEMAS = ("raw", "audit")
# The pull position moves forward with every pull: the loader's one update in raw/audit.
LOADER_UPDATES = ("raw.source_watermarks",)


def _ensure_history_owner(cur) -> None:
    """The no-login owner of raw and audit; the superuser may act as it (bootstrap only)."""
    cur.execute("select 1 from pg_roles where rolname = %s", (HISTORY_OWNER,))
    if not cur.fetchone():
        cur.execute(sql.SQL("create role {} nologin").format(sql.Identifier(HISTORY_OWNER)))


def _hand_history_over(cur) -> None:
    """Tables and sequences made by an older bootstrap (owned by the loader) move to vq_history."""
    cur.execute(
        """
        select case c.relkind when 'S' then 'sequence' else 'table' end, n.nspname, c.relname
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = any(%s) and c.relkind in ('r', 'p', 'S')
          and pg_get_userbyid(c.relowner) <> %s
          -- a serial's sequence follows its table
          and not (c.relkind = 'S' and exists (
              select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))
        """,
        (list(HISTORY_SCHEMAS), HISTORY_OWNER),
    )
    for kind, schema, name in cur.fetchall():
        cur.execute(
            sql.SQL("alter {} {}.{} owner to {}").format(
                sql.SQL(kind), sql.Identifier(schema), sql.Identifier(name), sql.Identifier(HISTORY_OWNER)
            )
        )


def _grant_history(cur) -> None:
    """What the loader and the transformer may do with the history tables that exist now."""
    for schema in HISTORY_SCHEMAS:
        ident = sql.Identifier(schema)
        cur.execute(sql.SQL("revoke all on all tables in schema {} from vq_loader").format(ident))
        cur.execute(sql.SQL("grant select, insert on all tables in schema {} to vq_loader").format(ident))
        cur.execute(sql.SQL("grant usage, select on all sequences in schema {} to vq_loader").format(ident))
        cur.execute(sql.SQL("grant select on all tables in schema {} to vq_transformer").format(ident))
    for table in LOADER_UPDATES:
        schema, name = table.split(".")
        cur.execute(sql.SQL("grant update on {}.{} to vq_loader").format(sql.Identifier(schema), sql.Identifier(name)))


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
        _ensure_history_owner(cur)
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
        _hand_history_over(cur)
        cur.execute(sql.SQL("set role {}").format(sql.Identifier(HISTORY_OWNER)))
        for path in sorted(SQL_DIR.glob("0[2-9]*.sql")):
            cur.execute(path.read_text())
        cur.execute("reset role")
        _grant_history(cur)
        cur.execute("grant select on all tables in schema marts to vq_reader")
    conn.close()


if __name__ == "__main__":
    bootstrap()
