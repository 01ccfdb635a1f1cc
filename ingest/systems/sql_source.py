"""Read figures from an office's database with a parameterised, read-only query.

The transaction is declared read-only on the server (PostgreSQL ``SET TRANSACTION READ
ONLY``, SQLite ``query_only``) so a mistaken query can never change the office's data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from ingest.systems.connections import ConnectionInfo
from ingest.systems.errors import SourceAuthError, SourceRequestError, SourceUnavailableError
from ingest.systems.spec import SourceSpec


def _read_only(engine: Any) -> None:
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _query_only(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA query_only = ON")


def fetch(spec: SourceSpec, conn: ConnectionInfo, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the declared query as dicts (column name -> value)."""
    engine = create_engine(conn.sqlalchemy_url(), poolclass=NullPool)
    _read_only(engine)
    try:
        with engine.connect() as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(text("SET TRANSACTION READ ONLY"))
            result = connection.execute(text(spec.query or ""), params)
            return [dict(row) for row in result.mappings()]
    except OperationalError as exc:
        message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "authentication" in message or "password" in message:
            raise SourceAuthError(spec.name, f"database refused the credentials of {conn.conn_id}: {message}") from exc
        raise SourceUnavailableError(spec.name, f"database unavailable: {message}") from exc
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise SourceRequestError(spec.name, f"query failed: {message}") from exc
    finally:
        engine.dispose()
