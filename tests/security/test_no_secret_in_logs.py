"""Passwords and tokens never reach a log or an error message, whatever fails."""

from __future__ import annotations

import json
import logging

import pytest

from ingest.systems import connections, sql_source
from ingest.systems.errors import SourceError
from ingest.systems.pull import pull
from ingest.systems.spec import load

SAMPLE = "Pw-n0t-in-any-log-7781"


@pytest.fixture()
def captured(caplog, capfd):
    caplog.set_level(logging.DEBUG)

    def text() -> str:
        out = capfd.readouterr()
        return caplog.text + out.out + out.err

    return text


def test_a_refused_database_password_is_not_logged(platform_home, monkeypatch, captured) -> None:
    from core import settings

    host, port = settings.role_dsn("reader")["host"], settings.role_dsn("reader")["port"]
    monkeypatch.setenv(
        "AIRFLOW_CONN_TREASURY_DB",
        json.dumps(
            {
                "conn_type": "postgres",
                "host": host,
                "port": port,
                "login": "treasury_reader",
                "password": SAMPLE,
                "schema": "treasury",
            }
        ),
    )
    with pytest.raises(SourceError) as failed:
        pull(load("treasury"))
    assert SAMPLE not in str(failed.value) and SAMPLE not in captured()


def test_an_unreadable_database_url_is_not_repeated(monkeypatch, captured) -> None:
    conn = connections.ConnectionInfo(
        "x", "generic", extra={"sqlalchemy_url": f"postgresql://u:{SAMPLE}@h:notaport/db"}
    )
    with pytest.raises(SourceError) as failed:
        sql_source._url(load("treasury"), conn)
    assert SAMPLE not in str(failed.value) and SAMPLE not in captured()


def test_a_refused_token_is_not_logged(platform_home, monkeypatch, captured) -> None:
    from standins.http_server import StandinServer

    standin = StandinServer(0).start()
    try:
        monkeypatch.setenv(
            "AIRFLOW_CONN_BHXH_API",
            json.dumps({"conn_type": "http", "host": "127.0.0.1", "port": standin.port, "password": SAMPLE}),
        )
        with pytest.raises(SourceError) as failed:
            pull(load("bhxh"))
    finally:
        standin.stop()
    assert SAMPLE not in str(failed.value) and SAMPLE not in captured()


def test_a_connection_never_shows_its_password_in_its_repr() -> None:
    conn = connections.parse("x", f"postgres://u:{SAMPLE}@h:5432/db")
    assert SAMPLE not in repr(conn)
