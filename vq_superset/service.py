"""Run the Văn Quan Superset: initialise, start, stop, import the assets, sync roles, warm.

Runs with the Superset venv, the repository on ``PYTHONPATH`` (or as the working directory):

    .venv-superset/bin/python -m vq_superset.service init|start|stop|status|import|export DIR|roles|warm
    .venv-superset/bin/python -m vq_superset.service user NAME ROLE [ROLE...]   # password: SUPERSET_USER_PASSWORD
    .venv-superset/bin/python -m vq_superset.service users FILE.json  # [{"username", "password", "roles"}]

State (pid file, logs, cache) lives under PLATFORM_HOME; the metadata lives in the
``superset`` database of the warehouse server. ``start`` initialises first when needed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from core import settings
from vq_superset import access, assets_io, bundle, warmup

REPO_ROOT = Path(__file__).resolve().parents[1]
CONFIG_PATH = REPO_ROOT / "superset" / "superset_config.py"
os.environ.setdefault("SUPERSET_CONFIG_PATH", str(CONFIG_PATH))

log = logging.getLogger("vanquan.superset")
BIN = Path(sys.executable).parent
DEMO_ADMIN_PASSWORD = "admin"  # noqa: S105 (demo mode only)


def port() -> int:
    return settings.superset_port()


def base_url() -> str:
    return f"http://127.0.0.1:{port()}"


def home() -> Path:
    path = settings.paths().superset_home
    path.mkdir(parents=True, exist_ok=True)
    return path


def pid_file() -> Path:
    return home() / "superset.pid"


def log_file() -> Path:
    logs = settings.paths().logs
    logs.mkdir(parents=True, exist_ok=True)
    return logs / "superset.log"


def child_env() -> dict[str, str]:
    env = settings.environment()
    env["SUPERSET_HOME"] = str(home())
    env["SUPERSET_CONFIG_PATH"] = str(CONFIG_PATH)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH", "")]))
    env.setdefault("SUPERSET_LOAD_EXAMPLES", "no")
    return env


def admin_username() -> str:
    return settings.superset_admin_user()


def admin_password() -> str | None:
    """From SUPERSET_ADMIN_PASSWORD; ``admin`` only in demo mode; None means: create no admin."""
    value = settings.superset_admin_password()
    if value:
        if not settings.is_demo() and (value == DEMO_ADMIN_PASSWORD or value.startswith(settings.DEMO_PREFIX)):
            raise settings.SettingsError("SUPERSET_ADMIN_PASSWORD is set to a demo value outside demo mode")
        return value
    return DEMO_ADMIN_PASSWORD if settings.is_demo() else None


@contextlib.contextmanager
def app_context() -> Iterator[None]:
    """A Superset app and request context in this process, for the jobs that need the ORM."""
    os.environ.update({k: v for k, v in child_env().items() if k in ("SUPERSET_HOME", "SUPERSET_CONFIG_PATH")})
    from superset.app import create_app

    app = create_app()
    with app.app_context(), app.test_request_context():
        yield


# ---------------------------------------------------------------- init
def _metadata_state() -> tuple[str | None, bool]:
    """(alembic revision of the metadata DB, whether `superset init` has run)."""
    import psycopg2

    conn = psycopg2.connect(**settings.role_dsn("superset", database="superset"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select to_regclass('public.alembic_version') is not null, to_regclass('public.ab_role') is not null"
            )
            has_alembic, has_roles = cur.fetchone()
            revision = None
            if has_alembic:
                cur.execute("select version_num from alembic_version")
                row = cur.fetchone()
                revision = row[0] if row else None
            initialised = False
            if has_roles:
                cur.execute("select count(*) from ab_role where name in ('Admin', 'Gamma')")
                initialised = cur.fetchone()[0] == 2
            return revision, initialised
    finally:
        conn.close()


def _migration_head() -> str:
    """The newest migration of the installed Superset, read from the scripts' text (loading
    them would import models that need an app)."""
    import superset

    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (Path(superset.__file__).parent / "migrations" / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if found := re.search(r'^revision\s*=\s*["\']([0-9a-f_]+)["\']', text, re.M):
            revisions.add(found.group(1))
        if down := re.search(r"^down_revision\s*=\s*(.+)$", text, re.M):
            parents.update(re.findall(r"[0-9a-f]{6,}", down.group(1)))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"cannot tell Superset's migration head: {sorted(heads)}")
    return heads.pop()


def _superset(*args: str) -> None:
    started = time.monotonic()
    subprocess.run([str(BIN / "superset"), *args], env=child_env(), check=True, cwd=home())
    log.info("superset %s took %.0f s", " ".join(args), time.monotonic() - started)


def migrate() -> None:
    """`db upgrade` and `init`, only when the metadata DB is not at this Superset's head."""
    revision, initialised = _metadata_state()
    head = _migration_head()
    if revision != head:
        _superset("db", "upgrade")
    else:
        log.info("metadata DB already at %s", head)
    if not initialised or revision != head:
        _superset("init")


def ensure_admin() -> None:
    """The admin user (in an app context): demo password in demo mode, else from the environment."""
    password = admin_password()
    if password:
        access.ensure_user(admin_username(), password, [access.ADMIN])
    else:
        log.warning("no SUPERSET_ADMIN_PASSWORD outside demo mode: no admin user created")


def ensure_warm_users() -> None:
    """The warm-up users of the RLS roles (in an app context), after the roles exist."""
    password = warmup.warm_password()
    if password is None:
        log.warning("no %s outside demo mode: offices' charts cannot be warmed", warmup.WARM_PASSWORD_VARIABLE)
        return
    for username, roles in access.warm_users().items():
        access.ensure_user(username, password, roles)


def init() -> None:
    """Everything a fresh or existing metadata DB needs before serving; idempotent."""
    migrate()
    with app_context():
        ensure_admin()
        access.sync_roles()
        ensure_warm_users()


# ---------------------------------------------------------------- processes
def running_pid() -> int | None:
    try:
        pid = int(pid_file().read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def healthy() -> bool:
    try:
        with urllib.request.urlopen(f"{base_url()}/health", timeout=2) as resp:  # noqa: S310 (loopback)
            return resp.status == 200
    except OSError:
        return False


def start(timeout: float = 120) -> None:
    """Start gunicorn in its own process group (initialising first if needed)."""
    if running_pid():
        log.info("superset already running (pid %s)", running_pid())
        return
    init()
    workers = settings.superset_workers()
    with log_file().open("ab") as out:
        proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers", workers,
                "--worker-class", "gthread",
                "--threads", "4",
                "--timeout", "120",
                "--bind", f"127.0.0.1:{port()}",
                "--limit-request-line", "0",
                "--limit-request-field_size", "0",
                "superset.app:create_app()",
            ],
            env=child_env(),
            cwd=home(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    pid_file().write_text(str(proc.pid))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"superset exited with {proc.returncode}; see {log_file()}")
        if healthy():
            log.info("superset up on %s (pid %d)", base_url(), proc.pid)
            return
        time.sleep(1)
    stop()
    raise SystemExit(f"superset not healthy after {timeout:.0f} s; see {log_file()}")


def stop(grace: float = 20) -> None:
    """Stop the process group started by `start`."""
    pid = running_pid()
    if pid is None:
        pid_file().unlink(missing_ok=True)
        log.info("superset not running")
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and running_pid():
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.5)
    if running_pid():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    pid_file().unlink(missing_ok=True)
    log.info("superset stopped")


# ---------------------------------------------------------------- assets
def import_assets() -> None:
    """Render the bundle with the reader URL, import it (overwrite), then sync roles/RLS.

    Works on a fresh metadata DB too (it migrates first), so `make dashboards` needs
    nothing else; re-running updates every asset in place.
    """
    started = time.monotonic()
    migrate()
    with tempfile.TemporaryDirectory(prefix="vq-assets-", dir=home()) as tmp:
        root = bundle.render(Path(tmp), settings.role_url("reader"))
        with app_context():
            ensure_admin()
            count = assets_io.import_bundle(root, admin_username())
            access.sync_roles()
            ensure_warm_users()
    log.info("imported %d files in %.1f s", count, time.monotonic() - started)


def export_assets(target: Path) -> None:
    with app_context():
        assets_io.export_bundle(target, admin_username())


def warm() -> None:
    """Ask the data API for every chart (force=true) as the admin, and for the RLS-scoped charts
    as each office's warm-up user, so the cache holds fresh results for every role."""
    password = admin_password()
    if not password:
        raise SystemExit("warm needs SUPERSET_ADMIN_PASSWORD outside demo mode")
    warm_pw = warmup.warm_password()
    if not warm_pw:
        raise SystemExit(f"warm needs {warmup.WARM_PASSWORD_VARIABLE} outside demo mode")
    for username, count in warmup.warm_every_role(base_url(), admin_username(), password, warm_pw).items():
        log.info("warmed %d charts as %s", count, username)


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("init", "start", "stop", "status", "import", "roles", "warm"):
        sub.add_parser(name)
    sub.add_parser("export").add_argument("target", type=Path)
    sub.add_parser("users").add_argument("file", type=Path)
    user = sub.add_parser("user")
    user.add_argument("username")
    user.add_argument("roles", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "init":
        init()
    elif args.command == "start":
        start()
    elif args.command == "stop":
        stop()
    elif args.command == "status":
        pid = running_pid()
        print(f"running pid {pid} healthy={healthy()}" if pid else "stopped")
        sys.exit(0 if pid else 3)
    elif args.command == "import":
        import_assets()
    elif args.command == "export":
        export_assets(args.target)
    elif args.command == "roles":
        with app_context():
            access.sync_roles()
            ensure_warm_users()
    elif args.command == "warm":
        warm()
    elif args.command == "users":
        import json

        with app_context():
            for entry in json.loads(args.file.read_text(encoding="utf-8")):
                access.ensure_user(entry["username"], entry["password"], entry["roles"])
    elif args.command == "user":
        password = settings.superset_user_password()
        if not password:
            raise SystemExit("set SUPERSET_USER_PASSWORD")
        with app_context():
            access.ensure_user(args.username, password, args.roles)


if __name__ == "__main__":
    main()
