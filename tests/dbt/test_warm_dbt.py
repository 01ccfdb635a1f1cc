"""The warm dbt server: the same builds as a cold dbt, without dbt's import time per command."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from core import settings
from tests.conftest import restore_environ, wait_until
from tests.dbt import figures
from transform import warm_dbt
from transform.dbt_runner import DbtRunError, run_dbt

pytestmark = pytest.mark.timeout(600)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def server(own_warehouse: Path) -> Iterator[subprocess.Popen]:
    """A real warm dbt server on this session's state folder, stopped after the module."""
    with warm_dbt.serving() as process:
        yield process
    assert not warm_dbt.socket_path().exists()  # the next module's dbt starts cold


def _attainment() -> list[tuple]:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute("select * from marts.fct_target_attainment order by target_code, as_of_period")
            return cur.fetchall()
    finally:
        conn.close()


def test_a_build_in_the_warm_server_gives_the_marts_a_cold_dbt_gives(server, caplog) -> None:
    figures.load_baseline_and_first_quarter()
    with caplog.at_level(logging.INFO, logger="transform.dbt_runner"):
        run_dbt(["build"])
    assert "ran dbt build in the warm dbt server" in caplog.text
    warm = _attainment()
    assert len(warm) > 27  # every target, every month so far

    # the same figures, built again by a dbt of its own (the server is still up, but unreachable)
    os.rename(warm_dbt.socket_path(), warm_dbt.socket_path().with_suffix(".away"))
    try:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="transform.dbt_runner"):
            run_dbt(["build", "--full-refresh"])
        assert "in the warm dbt server" not in caplog.text
    finally:
        os.rename(warm_dbt.socket_path().with_suffix(".away"), warm_dbt.socket_path())
    assert _attainment() == warm


def test_a_failing_command_reports_as_a_cold_one_does(server) -> None:
    with pytest.raises(DbtRunError, match=r"exit code 2(.|\n)*No such command 'no-such-command'"):
        run_dbt(["no-such-command"])
    away = warm_dbt.socket_path().with_suffix(".away")
    os.rename(warm_dbt.socket_path(), away)
    try:
        with pytest.raises(DbtRunError, match=r"exit code 2(.|\n)*No such command 'no-such-command'"):
            run_dbt(["no-such-command"])
    finally:
        os.rename(away, warm_dbt.socket_path())


def test_only_the_owner_may_talk_to_the_server(server) -> None:
    mode = stat.S_IMODE(warm_dbt.socket_path().stat().st_mode)
    assert mode == 0o600


def test_a_caller_that_leaves_stops_its_build(server) -> None:
    import json
    import socket

    from transform.dbt_runner import dbt_env

    env = {**settings.environment(), **dbt_env()}
    request = {"args": ["build", "--full-refresh"], "env": env, "cwd": str(settings.DBT_PROJECT_DIR)}
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(warm_dbt.socket_path()))
        conn.sendall(json.dumps(request).encode() + b"\n")
        wait_until(lambda: _children(server.pid), 10, 0.2, "a child runs the build")
        time.sleep(2)  # well inside the build (about 20 s)
    wait_until(lambda: not _children(server.pid), 20, 0.2, "the build stopped once its caller left")


def test_a_stale_socket_means_dbt_starts_cold(own_warehouse: Path, tmp_path: Path) -> None:
    import socket

    saved = {"PLATFORM_HOME": os.environ.get("PLATFORM_HOME")}
    os.environ["PLATFORM_HOME"] = str(tmp_path)  # a state folder whose server died
    try:
        warm_dbt.socket_path().parent.mkdir(parents=True)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as dead:
            dead.bind(str(warm_dbt.socket_path()))  # the file stays, nobody listens
        assert warm_dbt.answers() is False
        assert warm_dbt.run(["parse"], settings.environment(), settings.DBT_PROJECT_DIR) is None
    finally:
        restore_environ(saved)
