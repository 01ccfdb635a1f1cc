"""Start and stop the long-running services of one machine (Airflow, Superset, the warm dbt), by pid file.

Each service runs in its own process group so that stopping it also stops its workers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import requests

from core import settings


def _pid_file(name: str) -> Path:
    return settings.paths().home / "run" / f"{name}.pid"


def running_pid(name: str) -> int | None:
    path = _pid_file(name)
    if not path.exists():
        return None
    pid = int(path.read_text().strip() or 0)
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return None
    return pid


def start(
    name: str, command: list[str], env: dict[str, str], health_url: str | Callable[[], bool], timeout: float = 240
) -> bool:
    """Start ``command`` in the background unless already running; wait until healthy.

    ``health_url`` answers 200 when the service is up, or is a check that returns True then.

    Returns True if it was started now, False if it was already running.
    """
    if running_pid(name) is not None:
        wait_healthy(health_url, timeout)
        return False
    log_path = settings.paths().logs / f"{name}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    _pid_file(name).parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    _pid_file(name).write_text(str(process.pid))
    try:
        wait_healthy(health_url, timeout, process)
    except Exception:
        stop(name)
        raise
    return True


def _healthy(url: str | Callable[[], bool]) -> bool:
    if callable(url):
        return url()
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def wait_healthy(url: str | Callable[[], bool], timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"service exited with code {process.returncode} before {url} was healthy")
        if _healthy(url):
            return
        time.sleep(0.5 if callable(url) else 1)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f}s")


def stop(name: str, timeout: float = 30) -> bool:
    """Stop the service's whole process group; returns True if something was stopped."""
    pid = running_pid(name)
    _pid_file(name).unlink(missing_ok=True)
    if pid is None:
        return False
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.5)
    os.killpg(pid, signal.SIGKILL)
    return True
