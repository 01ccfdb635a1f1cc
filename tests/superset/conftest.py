"""One real Superset per test session: metadata in the session's PostgreSQL, assets imported.

Start-up (db upgrade + init + gunicorn) costs about a minute, so every Superset test shares
the ``superset`` fixture; it is stopped (its whole process group) at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # plain ``pytest`` does not put the project packages on sys.path
import superset_marts as marts  # noqa: E402

from tests.conftest import restore_environ  # noqa: E402
from vq_superset.client import SupersetClient  # noqa: E402

SUPERSET_DIR = REPO / "superset"
PYTHON = REPO / ".venv-superset" / "bin" / "python"
ARTIFACTS = REPO / "test-artifacts" / "superset"

USERS = {
    "lanhdao": ("pw-lanhdao", ["Lãnh đạo"]),
    "noivu": ("pw-noivu", ["Phòng Nội vụ"]),
    "tckh_staff": ("pw-tckh", ["Phòng ban", "Phòng ban - tckh"]),
    "nnptnt_staff": ("pw-nnptnt", ["Phòng ban", "Phòng ban - nnptnt"]),
    "unassigned_staff": ("pw-none", ["Phòng ban"]),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Superset:
    base_url: str
    home: Path
    import_seconds: float

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return service(*args, env=env)


def service(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(PYTHON), "-m", "vq_superset.service", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if proc.returncode != 0:
        command = " ".join(args)
        raise AssertionError(f"vq_superset.service {command} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return proc


@pytest.fixture(scope="session")
def marts_loaded(platform_home: Path) -> None:
    """The marts with the contract's columns and a known content (see marts.py)."""
    from core import settings

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    marts.create(conn)
    conn.close()


@pytest.fixture(scope="session")
def superset(platform_home: Path, marts_loaded: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Superset]:
    if not PYTHON.exists():
        pytest.skip("the Superset venv .venv-superset is missing")
    port = free_port()
    previous = {k: os.environ.get(k) for k in ("SUPERSET_PORT", "SUPERSET_WORKERS")}
    os.environ["SUPERSET_PORT"] = str(port)
    os.environ["SUPERSET_WORKERS"] = "1"
    try:
        # Import first, into a metadata DB nothing has touched: `make dashboards` on a fresh install.
        started = time.monotonic()
        service("import")
        import_seconds = time.monotonic() - started
        service("start")
        users_file = tmp_path_factory.mktemp("superset-users") / "users.json"
        users_file.write_text(
            json.dumps([{"username": u, "password": p, "roles": r} for u, (p, r) in USERS.items()]),
            encoding="utf-8",
        )
        service("users", str(users_file))
        yield Superset(f"http://127.0.0.1:{port}", platform_home / "superset", import_seconds)
    finally:
        service("stop")
        restore_environ(previous)


def clear_chart_cache(superset: Superset) -> None:
    """Forget every chart result Superset cached (its file cache under the session's home)."""
    cache = superset.home / "cache" / "data"
    for entry in cache.iterdir() if cache.exists() else ():
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


@pytest.fixture(scope="module")
def known_marts(superset: Superset) -> None:
    """The hand-made marts again, for a module that asserts their exact content.

    Other modules build the dbt project into the same warehouse, and in a shuffled run any of
    them may have replaced these tables since the session began; the cached chart results
    of the replaced tables are forgotten too.
    """
    from core import settings

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    marts.create(conn)
    conn.close()
    clear_chart_cache(superset)


@pytest.fixture(scope="session")
def login(superset: Superset) -> Callable[[str], SupersetClient]:
    """Log one of the test users (or ``admin``) in to the session's Superset."""

    def _login(username: str = "admin") -> SupersetClient:
        password = "admin" if username == "admin" else USERS[username][0]
        return SupersetClient.login(username, password, superset.base_url)

    return _login
