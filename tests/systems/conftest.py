"""Fixtures of the system-pull tests: the stand-in systems, pointed at by AIRFLOW_CONN_*."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.systems import spec as spec_module
from ingest.systems.spec import SourceSpec
from standins import treasury
from standins.http_server import StandinServer, connection_env

_counter = itertools.count(1)


@pytest.fixture()
def standin(platform_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StandinServer]:
    """A fresh stand-in HTTP server on a random loopback port, and connections pointing at it."""
    server = StandinServer(0).start()
    for key, value in connection_env(server.port).items():
        monkeypatch.setenv(key, value)
    yield server
    server.stop()


@pytest.fixture()
def treasury_db(platform_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The treasury database reset to its sample figures; the connection JSON."""
    conn_json = treasury.setup()
    monkeypatch.setenv("AIRFLOW_CONN_TREASURY_DB", conn_json)
    return conn_json


def _variant(name: str, **http: object) -> SourceSpec:
    """A declared source under a name of its own (its own watermark), with faster retries.

    Tests that try failure modes must not disturb each other's watermarks, and must not wait
    for production back-off delays.
    """
    spec = spec_module.load(name)
    unique = f"{name}_t{next(_counter)}"
    if spec.http is not None:
        settings = {"backoff_seconds": 0.01, "max_backoff_seconds": 0.05, "min_interval_seconds": 0.0, **http}
        spec = dataclasses.replace(spec, http=dataclasses.replace(spec.http, **settings))
    return dataclasses.replace(spec, name=unique)


@pytest.fixture()
def variant() -> object:
    """``variant(name, **http_overrides)``: see ``_variant``."""
    return _variant
