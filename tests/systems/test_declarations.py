"""Declarations and connections are read strictly, without a warehouse."""

from __future__ import annotations

import pytest

from ingest.systems import connections, spec
from ingest.systems.errors import SourceConfigError


def test_the_shipped_sources_are_declared() -> None:
    sources = spec.load_all()
    assert {n: (s.office_code, s.kind, s.connection) for n, s in sources.items()} == {
        "bhxh": ("bhxh", "http_json", "bhxh_api"),
        "tourism": ("vhtt", "http_json", "tourism_api"),
        "treasury": ("tckh", "sql", "treasury_db"),
    }


def test_a_connection_uri_is_read_like_airflow() -> None:
    conn = connections.parse("x", "postgres://treasury_reader:p%40ss@127.0.0.1:5433/treasury?sslmode=disable")
    assert (conn.conn_type, conn.host, conn.port, conn.login, conn.password, conn.schema) == (
        "postgres",
        "127.0.0.1",
        5433,
        "treasury_reader",
        "p@ss",
        "treasury",
    )
    assert conn.extra == {"sslmode": "disable"}
    assert conn.sqlalchemy_url() == "postgresql+psycopg2://treasury_reader:p%40ss@127.0.0.1:5433/treasury"


def test_a_connection_json_is_read_like_airflow() -> None:
    conn = connections.parse(
        "x", '{"conn_type": "http", "host": "api.example", "port": 8443, "password": "t", "extra": {"scheme": "https"}}'
    )
    assert conn.base_url() == "https://api.example:8443"
    assert conn.password == "t"


def test_a_missing_connection_names_its_variable(monkeypatch) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_NOWHERE", raising=False)
    with pytest.raises(SourceConfigError, match="set AIRFLOW_CONN_NOWHERE"):
        connections.get("nowhere")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "ftp"}, "kind must be one of"),
        ({"schedule": ""}, "missing 'schedule'"),
        ({"request": {"path": "/x", "records": "data", "paging": {"style": "cursor"}}}, "next_cursor"),
        ({"request": {"path": "/x", "records": "data", "auth": "digest"}}, "request.auth"),
        ({"mapping": {"admin_unit": {"path": "a", "const": "b"}, "period": "p", "figures": [{}]}}, "exactly one"),
    ],
)
def test_a_malformed_declaration_is_refused(change, message) -> None:
    raw = {
        "name": "demo",
        "office_code": "bhxh",
        "kind": "http_json",
        "connection": "c",
        "schedule": "@daily",
        "request": {"path": "/x", "records": "data"},
        "mapping": {
            "admin_unit": "u",
            "period": "p",
            "figures": [{"indicator": {"const": "population"}, "value": "v"}],
        },
    }
    raw.update(change)
    with pytest.raises(SourceConfigError, match=message):
        spec.parse(raw)
