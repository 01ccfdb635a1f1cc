"""Shared fixtures: a real PostgreSQL server per test session, in its own state folder."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest

os.environ.setdefault("PLATFORM_MODE", "demo")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run long fuzzing and slow extras")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def restore_environ(saved: dict[str, str | None]) -> None:
    """Put back the environment variables a fixture changed (None: the variable was unset)."""
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def wait_until(
    check: Callable[[], object],
    timeout: float = 480,
    pause: float = 2,
    what: str | None = None,
    ignoring: tuple[type[Exception], ...] = (),
) -> object:
    """Ask ``check`` every ``pause`` seconds until it answers something true, and return that;
    fail after ``timeout`` seconds naming ``what`` (or the check's docstring). Errors of the
    kinds in ``ignoring`` count as "not yet" (a server busy for a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
        except ignoring:
            value = None
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"not within {timeout:.0f} s: {what or check.__doc__}")


@pytest.fixture(scope="session")
def platform_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh state folder with a running, bootstrapped warehouse; stopped at the end."""
    from core import settings
    from warehouse import bootstrap, server

    home = tmp_path_factory.mktemp("vq")
    previous = {k: os.environ.get(k) for k in ("PLATFORM_HOME", "WAREHOUSE_PORT")}
    os.environ["PLATFORM_HOME"] = str(home)
    if settings.embedded():
        os.environ["WAREHOUSE_PORT"] = str(free_port())
    server.start_default()
    bootstrap.bootstrap()
    yield home
    server.stop_default()
    restore_environ(previous)


@pytest.fixture()
def admin_conn(platform_home: Path) -> Iterator[psycopg2.extensions.connection]:
    """A superuser connection to the warehouse, for test set-up and assertions only."""
    from core import settings

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    yield conn
    conn.close()


def empty_warehouse() -> None:
    """Empty raw data, audit trail, file folders and dbt's incremental state.

    The incremental models (figure versions, current figures) are dropped too: rows of
    figures truncated from raw would otherwise stay in them, and the next build would count them.
    """
    import shutil

    from core import settings

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(
            "truncate raw.submitted_figures, raw.source_watermarks, audit.ingest_problems,"
            " audit.validation_results, audit.validation_runs, audit.reminders, audit.task_failures,"
            " audit.ingest_files restart identity cascade"
        )
        # every incremental model: its rows were built from the figures truncated above
        cur.execute("drop table if exists intermediate.int_figure_versions, intermediate.int_figures_current cascade")
    conn.close()
    paths = settings.paths()
    for folder in (paths.inbox, paths.archive, paths.quarantine):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def fresh_warehouse(platform_home: Path) -> Path:
    """Empty raw data, audit trail and file folders, for a module that needs a known world."""
    empty_warehouse()
    return platform_home


@pytest.fixture(scope="module")
def own_warehouse(platform_home: Path) -> Iterator[Path]:
    """A known world for a module that also leaves none of its figures to the modules after it."""
    empty_warehouse()
    yield platform_home
    empty_warehouse()
