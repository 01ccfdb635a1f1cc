"""Pieces of the connector that need no warehouse: rate limit, stand-in CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from core.settings import REPO_ROOT
from ingest.systems import http_client


def test_the_rate_limit_spaces_requests(monkeypatch) -> None:
    now = [100.0]
    pauses: list[float] = []
    monkeypatch.setattr(
        http_client.time, "sleep", lambda s: (pauses.append(round(s, 3)), now.__setitem__(0, now[0] + s))
    )
    limiter = http_client.RateLimiter(0.5, clock=lambda: now[0])

    limiter.wait()  # first request: no pause
    now[0] += 0.2
    limiter.wait()  # 0.2 s later: waits the remaining 0.3 s
    now[0] += 1.0
    limiter.wait()  # long after: no pause

    assert pauses == [0.3]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_standin_server_runs_from_the_command_line() -> None:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "standins", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        env_lines = [proc.stdout.readline() for _ in range(2)]
        assert env_lines[0].startswith("export AIRFLOW_CONN_BHXH_API=")
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert json.load(r) == {"status": "ok"}
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("stand-in server did not answer")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/_control", data=json.dumps({"fail_5xx": 1}).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=2) as r:  # noqa: S310
            assert json.load(r)["fail_5xx"] == 1
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bhxh/api/v1/coverage", timeout=2)
        assert failed.value.code == 500
    finally:
        proc.terminate()
        try:
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
