"""Read figures from an office's database with one parameterised, read-only query.

Read-only is enforced by the connector, whatever the account may do, for every dialect it
accepts (and it accepts no other):

- PostgreSQL: the session starts with ``default_transaction_read_only=on`` (so even a
  transaction opened after an escaped ``COMMIT`` is read-only), the query runs inside
  ``SET TRANSACTION READ ONLY``, with ``statement_timeout``, ``lock_timeout`` and
  ``idle_in_transaction_session_timeout`` set on the server;
- SQLite: the file is opened read-only (``mode=ro``) with ``PRAGMA query_only``, and a
  progress handler interrupts a query that runs past the statement timeout.

The declared query itself must be exactly one ``SELECT`` / ``WITH`` / ``VALUES`` / ``TABLE``
statement: ``...; COMMIT; DELETE ...``, ``SET TRANSACTION READ WRITE`` and the like are
refused before anything is sent. At most ``limits.max_records`` rows are read; one more
stops the pull (``SourceTooLargeError``) instead of filling the worker's memory.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any
from urllib.parse import quote

import sqlparse
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from ingest.systems.connections import ConnectionInfo
from ingest.systems.errors import (
    SourceAuthError,
    SourceConfigError,
    SourceRequestError,
    SourceTooLargeError,
    SourceUnavailableError,
)
from ingest.systems.spec import Limits, SourceSpec

# dialect -> the drivers whose read-only enforcement is implemented (and tested) here
SUPPORTED = {"postgresql": ("psycopg2",), "sqlite": ("pysqlite",)}
READING_VERBS = ("SELECT", "WITH", "VALUES", "TABLE")
FETCH_BATCH = 1000


def check_query(source: str, query: str) -> str:
    """The query if it is one reading statement; ``SourceConfigError`` otherwise."""
    statements = [s for s in sqlparse.parse(query or "") if s.token_first(skip_cm=True, skip_ws=True) is not None]
    statements = [s for s in statements if str(s).strip() not in (";", "")]
    if len(statements) != 1:
        raise SourceConfigError(
            source,
            f"query refused: it must be exactly one read-only statement, found {len(statements)} "
            "(a ';' followed by more SQL is never sent)",
        )
    first = statements[0].token_first(skip_cm=True, skip_ws=True)
    verb = first.normalized.upper() if first is not None else ""
    if verb not in READING_VERBS:
        raise SourceConfigError(
            source, f"query refused: it starts with {verb or '?'}; only {', '.join(READING_VERBS)} may run"
        )
    return str(statements[0]).strip().rstrip(";")


def _url(spec: SourceSpec, conn: ConnectionInfo) -> URL:
    try:
        url = make_url(conn.sqlalchemy_url())
    except (ArgumentError, ValueError):  # its message could repeat the URL, password included
        raise SourceConfigError(spec.name, f"connection {conn.conn_id}: not a database URL") from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend not in SUPPORTED or driver not in SUPPORTED[backend]:
        raise SourceConfigError(
            spec.name,
            f"connection {conn.conn_id}: {backend}+{driver} is not supported; the connector reads only from "
            f"{', '.join(f'{b}+{d[0]}' for b, d in SUPPORTED.items())}, where it can enforce read-only",
        )
    return url


def _postgres_engine(url: URL, limits: Limits) -> Engine:
    timeout_ms = int(limits.statement_timeout_seconds * 1000)
    options = " ".join(
        [
            "-c default_transaction_read_only=on",
            f"-c statement_timeout={timeout_ms}",
            f"-c lock_timeout={timeout_ms}",
            f"-c idle_in_transaction_session_timeout={timeout_ms + 30000}",
        ]
    )
    url = url.difference_update_query(["options", "connect_timeout"])
    return create_engine(
        url,
        poolclass=NullPool,
        connect_args={
            "connect_timeout": max(2, int(limits.connect_timeout_seconds)),
            "options": options,
            "application_name": "vanquan-systems",
        },
    )


def _sqlite_engine(url: URL, limits: Limits) -> Engine:
    path = url.database or ""
    if not path or path == ":memory:":
        raise SourceConfigError("sqlite", "a SQLite source needs a database file")

    def connect() -> sqlite3.Connection:
        dbapi = sqlite3.connect(
            f"file:{quote(path)}?mode=ro", uri=True, timeout=limits.connect_timeout_seconds, check_same_thread=False
        )
        dbapi.execute("PRAGMA query_only = ON")
        return dbapi

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _deadline(connection: Any) -> None:
        deadline = time.monotonic() + limits.statement_timeout_seconds
        dbapi = connection.connection.dbapi_connection
        dbapi.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)

    return engine


def _engine(spec: SourceSpec, conn: ConnectionInfo) -> Engine:
    url = _url(spec, conn)
    if url.get_backend_name() == "postgresql":
        return _postgres_engine(url, spec.limits)
    return _sqlite_engine(url, spec.limits)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def fetch(spec: SourceSpec, conn: ConnectionInfo, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the declared query as dicts (column name -> value), at most ``max_records``."""
    query = check_query(spec.name, spec.query or "")
    limit = spec.limits.max_records
    engine = _engine(spec, conn)
    rows: list[dict[str, Any]] = []
    try:
        with engine.connect() as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(text("SET TRANSACTION READ ONLY"))
            result = connection.execution_options(stream_results=True).execute(text(query), params)
            mappings = result.mappings()
            while batch := mappings.fetchmany(FETCH_BATCH):
                rows.extend(dict(row) for row in batch)
                if len(rows) > limit:
                    result.close()
                    raise SourceTooLargeError(
                        spec.name,
                        f"the query returned more than {limit} rows (limits.max_records); narrow it "
                        "or raise the limit in the declaration",
                    )
        return rows
    except OperationalError as exc:
        message = _first_line(exc)
        if "authentication" in message or "password" in message:
            raise SourceAuthError(spec.name, f"database refused the credentials of {conn.conn_id}: {message}") from exc
        if "statement timeout" in message or "interrupted" in message:
            raise SourceUnavailableError(
                spec.name,
                f"the query ran longer than {spec.limits.statement_timeout_seconds:g} s "
                f"(limits.statement_timeout_seconds) and was cancelled: {message}",
            ) from exc
        raise SourceUnavailableError(spec.name, f"database unavailable: {message}") from exc
    except DBAPIError as exc:
        raise SourceRequestError(spec.name, f"query failed: {_first_line(exc)}") from exc
    finally:
        engine.dispose()
