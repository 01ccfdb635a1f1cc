"""Credentials of the office systems, read from ``AIRFLOW_CONN_<ID>`` like Airflow does.

Parsed here rather than through Airflow so that a pull runs the same way from the command
line, from tests and inside an Airflow task; when the variable is absent and Airflow's task
SDK is available, its connection lookup (secrets backends, the API server) is tried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from core import settings
from ingest.systems.errors import SourceConfigError

_SQLALCHEMY_DRIVERS = {"postgres": "postgresql+psycopg2", "postgresql": "postgresql+psycopg2", "sqlite": "sqlite"}


@dataclass(frozen=True)
class ConnectionInfo:
    conn_id: str
    conn_type: str
    host: str | None = None
    port: int | None = None
    login: str | None = None
    password: str | None = field(default=None, repr=False)
    schema: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def base_url(self) -> str:
        """``scheme://host:port`` of an HTTP system (scheme from extra, else http)."""
        scheme = self.extra.get("scheme") or ("https" if self.conn_type == "https" else "http")
        if not self.host:
            raise SourceConfigError(self.conn_id, "the connection has no host")
        port = f":{self.port}" if self.port else ""
        return f"{scheme}://{self.host}{port}"

    def sqlalchemy_url(self) -> str:
        """A SQLAlchemy URL; ``extra.sqlalchemy_url`` wins for databases we cannot spell."""
        if self.extra.get("sqlalchemy_url"):
            return str(self.extra["sqlalchemy_url"])
        driver = _SQLALCHEMY_DRIVERS.get(self.conn_type, self.conn_type)
        if driver == "sqlite":
            return f"sqlite:///{self.host or self.schema}"
        auth = ""
        if self.login:
            auth = quote(self.login, safe="")
            if self.password:
                auth += ":" + quote(self.password, safe="")
            auth += "@"
        port = f":{self.port}" if self.port else ""
        return f"{driver}://{auth}{self.host or ''}{port}/{self.schema or ''}"


def env_name(conn_id: str) -> str:
    return f"AIRFLOW_CONN_{conn_id.upper()}"


def _from_json(conn_id: str, text: str) -> ConnectionInfo:
    data = json.loads(text)
    extra = data.get("extra") or {}
    if isinstance(extra, str):
        extra = json.loads(extra)
    return ConnectionInfo(
        conn_id=conn_id,
        conn_type=str(data.get("conn_type", "")).replace("-", "_"),
        host=data.get("host"),
        port=int(data["port"]) if data.get("port") else None,
        login=data.get("login"),
        password=data.get("password"),
        schema=data.get("schema"),
        extra=extra,
    )


def _from_uri(conn_id: str, text: str) -> ConnectionInfo:
    parts = urlsplit(text)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    extra: dict[str, Any] = json.loads(query.pop("__extra__")) if "__extra__" in query else query
    return ConnectionInfo(
        conn_id=conn_id,
        conn_type=parts.scheme.replace("-", "_"),
        host=unquote(parts.hostname) if parts.hostname else None,
        port=parts.port,
        login=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        schema=unquote(parts.path.lstrip("/")) or None,
        extra=extra,
    )


def parse(conn_id: str, text: str) -> ConnectionInfo:
    """One ``AIRFLOW_CONN_*`` value (a URI or JSON) into its parts."""
    text = text.strip()
    try:
        return _from_json(conn_id, text) if text.startswith("{") else _from_uri(conn_id, text)
    except ValueError as exc:
        raise SourceConfigError(conn_id, f"{env_name(conn_id)} cannot be read: {exc}") from exc


def _from_airflow(conn_id: str) -> ConnectionInfo | None:
    try:
        from airflow.sdk import Connection  # only inside a running task does this reach secrets
    except ImportError:
        return None
    try:
        conn = Connection.get(conn_id)
    except Exception:
        return None
    return ConnectionInfo(
        conn_id=conn_id,
        conn_type=str(conn.conn_type or ""),
        host=conn.host,
        port=conn.port,
        login=conn.login,
        password=conn.password,
        schema=conn.schema,
        extra=conn.extra_dejson,
    )


def get(conn_id: str) -> ConnectionInfo:
    """The connection ``conn_id``: environment first, then Airflow's own lookup."""
    text = settings.airflow_connection(conn_id)
    if text:
        return parse(conn_id, text)
    found = _from_airflow(conn_id)
    if found is None:
        raise SourceConfigError(conn_id, f"connection not configured: set {env_name(conn_id)}")
    return found
