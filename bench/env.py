"""The machine a run measured, and a fresh state folder with its own embedded warehouse."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg2

from core import settings

STATE_VARS = ("PLATFORM_HOME", "WAREHOUSE_PORT", "PLATFORM_MODE", "WAREHOUSE_URL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _memory_gb() -> float:
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def _cpu_model() -> str:
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine(pg_version: str) -> dict[str, object]:
    """What a reader needs to compare two result tables."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(_memory_gb(), 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "postgresql": pg_version,
        "os": f"{platform.system()} {platform.release()}",
    }


def server_version() -> str:
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn.cursor() as cur:
            cur.execute("show server_version")
            return str(cur.fetchone()[0])
    finally:
        conn.close()


@contextlib.contextmanager
def fresh_warehouse(keep: bool = False) -> Iterator[Path]:
    """A temporary PLATFORM_HOME in demo mode with a started, bootstrapped embedded server."""
    from warehouse import bootstrap, server

    saved = {k: os.environ.get(k) for k in STATE_VARS}
    home = Path(tempfile.mkdtemp(prefix="vq-bench-"))
    os.environ.update({"PLATFORM_HOME": str(home), "WAREHOUSE_PORT": str(free_port()), "PLATFORM_MODE": "demo"})
    os.environ.pop("WAREHOUSE_URL", None)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    try:
        server.start_default()
        try:
            bootstrap.bootstrap()
            yield home
        finally:
            server.stop_default()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        if not keep:
            shutil.rmtree(home, ignore_errors=True)


def psql(sql: str, role: str = "loader") -> subprocess.CompletedProcess:
    """Run SQL (psql meta-commands allowed) with the server's own psql binary."""
    from warehouse.server import psql_path

    dsn = settings.role_dsn(role)
    env = dict(os.environ, PGPASSWORD=str(dsn["password"]))
    return subprocess.run(
        [
            psql_path(),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(dsn["host"]),
            "-p",
            str(dsn["port"]),
            "-U",
            str(dsn["user"]),
            "-d",
            str(dsn["dbname"]),
            "-c",
            sql,
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
