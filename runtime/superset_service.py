"""Superset from the main environment: its own venv runs ``python -m vq_superset.service``."""

from __future__ import annotations

import subprocess

from core import settings
from runtime.env import SUPERSET_VENV_BIN, superset_env, superset_port

SERVICE_MODULE = "vq_superset.service"


class SupersetCommandError(RuntimeError):
    """A ``vq_superset.service`` command failed; the message ends with its output."""


def _run(*args: str) -> None:
    """Run one service command; its chatter goes to the Superset log, its failure is raised."""
    log_path = settings.paths().logs / "superset-commands.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(SUPERSET_VENV_BIN / "python"), "-m", SERVICE_MODULE, *args],
        cwd=settings.REPO_ROOT,
        env=superset_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"$ {SERVICE_MODULE} {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        tail = (result.stdout + result.stderr)[-3000:]
        raise SupersetCommandError(f"{SERVICE_MODULE} {' '.join(args)} failed (log: {log_path}):\n{tail}")


def setup() -> None:
    """Create or upgrade Superset's metadata database (skipped when up to date)."""
    _run("init")


def start() -> None:
    _run("start")


def stop() -> None:
    if (SUPERSET_VENV_BIN / "python").exists():
        _run("stop")


def import_assets() -> None:
    """Import the dashboards as code (idempotent), then the roles and row-level security."""
    _run("import")
    _run("roles")


def url() -> str:
    return f"http://127.0.0.1:{superset_port()}"


def demo_login() -> str:
    return "admin / admin" if settings.is_demo() else "admin / $SUPERSET_ADMIN_PASSWORD"
