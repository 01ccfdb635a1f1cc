"""Where the platform keeps its state and how it reaches the warehouse.

Everything comes from the environment so that one code base serves the demo, the tests
(each with its own ``PLATFORM_HOME``) and a production server pointed at a real PostgreSQL.
Demo passwords are handed out only when ``PLATFORM_MODE=demo`` is set explicitly: the
default is production, where a missing secret or any ``demo-`` value is refused.

Production reaches the warehouse in one of two ways: ``WAREHOUSE_URL`` (the superuser URL;
given only to the one-shot init that creates roles and schemas) or ``WAREHOUSE_HOST`` and
``WAREHOUSE_PORT`` (every other service: it connects with its own least-privilege role and
never sees the superuser's password).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO_ROOT / "dbt" / "seeds" / "catalog"
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"

WAREHOUSE_DB = "warehouse"
ROLES = ("loader", "transformer", "reader")


class SettingsError(RuntimeError):
    """A required setting is missing or unsafe."""


def platform_mode() -> str:
    """``demo`` (sample data, demo passwords allowed) or ``production`` (the default)."""
    return os.environ.get("PLATFORM_MODE", "production").strip().lower()


def is_demo() -> bool:
    return platform_mode() == "demo"


def platform_home() -> Path:
    """The one folder that holds all run-time state (database, inboxes, logs, homes)."""
    return Path(os.environ.get("PLATFORM_HOME", REPO_ROOT / "var")).resolve()


DEMO_PREFIX = "demo-"


def secret(name: str, demo_default: str) -> str:
    """Read a secret from the environment; fall back to ``demo_default`` only in demo mode.

    Outside demo mode the demo value, and any value starting with ``demo-``, is refused.
    The message names the variable, never its value.
    """
    value = os.environ.get(name)
    if value:
        if not is_demo() and (value == demo_default or value.startswith(DEMO_PREFIX)):
            raise SettingsError(f"{name} is set to a demo value outside demo mode")
        return value
    if is_demo():
        return demo_default
    raise SettingsError(f"{name} must be set (PLATFORM_MODE={platform_mode()})")


@dataclass(frozen=True)
class Paths:
    """The layout of the state folder."""

    home: Path

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def pgdata(self) -> Path:
        return self.home / "pg" / "data"

    @property
    def pg_socket_dir(self) -> Path:
        return self.home / "pg" / "run"

    @property
    def logs(self) -> Path:
        return self.home / "logs"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def superset_home(self) -> Path:
        return self.home / "superset"

    @property
    def dbt_target(self) -> Path:
        return self.home / "dbt" / "target"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def data_docs(self) -> Path:
        return self.home / "gx" / "data_docs"


def paths() -> Paths:
    return Paths(platform_home())


def warehouse_port() -> int:
    return int(os.environ.get("WAREHOUSE_PORT", "55432"))


def embedded() -> bool:
    """True unless ``WAREHOUSE_URL`` or ``WAREHOUSE_HOST`` points at an existing PostgreSQL."""
    return not (os.environ.get("WAREHOUSE_URL") or os.environ.get("WAREHOUSE_HOST"))


def admin_url(database: str = WAREHOUSE_DB) -> str:
    """Superuser URL, for bootstrap only (roles, schemas, grants); never used by tasks."""
    url = os.environ.get("WAREHOUSE_URL")
    if url:
        parts = urlsplit(url)
        return parts._replace(path=f"/{database}").geturl()
    if os.environ.get("WAREHOUSE_HOST"):
        raise SettingsError(
            "the superuser URL is not available here (WAREHOUSE_HOST without WAREHOUSE_URL): only the "
            "one-shot init service bootstraps the warehouse"
        )
    password = quote(admin_password(), safe="")
    return f"postgresql://postgres:{password}@127.0.0.1:{warehouse_port()}/{database}"


def admin_password() -> str:
    """Password of the embedded server's superuser (set once, at initdb)."""
    return secret("WAREHOUSE_ADMIN_PASSWORD", "demo-admin")


def _host_port() -> tuple[str, int]:
    """Where the warehouse listens; read without touching the superuser's password."""
    host = os.environ.get("WAREHOUSE_HOST")
    if host:
        return host, warehouse_port() if os.environ.get("WAREHOUSE_PORT") else 5432
    url = os.environ.get("WAREHOUSE_URL")
    if url:
        parts = urlsplit(url)
        return parts.hostname or "127.0.0.1", parts.port or 5432
    return "127.0.0.1", warehouse_port()


def role_name(role: str) -> str:
    """Database role of a platform role (``loader``, ``transformer``, ``reader``)."""
    return f"vq_{role}"


def role_password(role: str) -> str:
    return secret(f"WAREHOUSE_{role.upper()}_PASSWORD", f"demo-{role}")


def role_url(role: str, database: str = WAREHOUSE_DB, driver: str = "postgresql") -> str:
    """Connection URL of a least-privilege role."""
    host, port = _host_port()
    user = role_name(role)
    password = quote(role_password(role), safe="")
    return f"{driver}://{user}:{password}@{host}:{port}/{database}"


def role_dsn(role: str, database: str = WAREHOUSE_DB) -> dict[str, object]:
    """psycopg2 keyword arguments of a least-privilege role."""
    host, port = _host_port()
    return {
        "host": host,
        "port": port,
        "dbname": database,
        "user": role_name(role),
        "password": role_password(role),
        "application_name": f"vanquan-{role}",
    }


def ingest_max_file_bytes() -> int:
    """Largest file the readers will open (``INGEST_MAX_FILE_BYTES``, default 20 MB)."""
    return int(os.environ.get("INGEST_MAX_FILE_BYTES", str(20 * 1024 * 1024)))


def ingest_max_sheet_rows() -> int:
    """Most rows a sheet or text file may span (``INGEST_MAX_SHEET_ROWS``, default 200,000).

    A guard against a stray cell far below the table, which would make the reader allocate
    every row above it; an office's largest real file holds a few thousand rows.
    """
    return int(os.environ.get("INGEST_MAX_SHEET_ROWS", "200000"))


def ingest_max_sheet_cells() -> int:
    """Most cells (rows x columns of the used area) a sheet may span (``INGEST_MAX_SHEET_CELLS``)."""
    return int(os.environ.get("INGEST_MAX_SHEET_CELLS", "5000000"))


def dbt_executable() -> str:
    """The dbt to run (``DBT_EXECUTABLE``; else the one beside this interpreter, else on PATH).

    The Airflow image installs dbt in its own environment, not in the repository's ``.venv``:
    callers take the path from here instead of building it from the repository root.
    """
    import shutil
    import sys

    configured = os.environ.get("DBT_EXECUTABLE")
    if configured:
        return configured
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    return shutil.which("dbt") or str(beside)


def dbt_manifest_path() -> Path:
    """The manifest the transform DAG is rendered from (``DBT_MANIFEST_PATH``, else the state folder's)."""
    configured = os.environ.get("DBT_MANIFEST_PATH")
    return Path(configured) if configured else paths().dbt_target / "manifest.json"


# Every other environment variable the platform reads, one function each: this module is
# the only reader of the environment (tests/test_import_layers.py holds every other module
# to that). Writing variables for a child process is the caller's business.

# The offices' clock (due dates, cron times, "today"): the one definition; DAGs take the name.
LOCAL_TZ_NAME = "Asia/Ho_Chi_Minh"
LOCAL_TZ = ZoneInfo(LOCAL_TZ_NAME)
WORKER_NAME_VARIABLE = "VANQUAN_WORKER_NAME"


def environment() -> dict[str, str]:
    """A copy of this process's environment, to start a child process with additions."""
    return dict(os.environ)


def replace_environment(env: dict[str, str]) -> None:
    """Make this process's environment exactly ``env``: a forked warm dbt takes its caller's."""
    os.environ.clear()
    os.environ.update(env)


def airflow_port() -> int:
    return int(os.environ.get("AIRFLOW_PORT", "8080"))


def airflow_parallelism() -> str:
    """``AIRFLOW__CORE__PARALLELISM`` for the local Airflow (default 4 on the shared machine)."""
    return os.environ.get("AIRFLOW__CORE__PARALLELISM", "4")


def airflow_demo_users() -> str:
    """The simple auth manager's users in demo mode (``AIRFLOW_USERS``)."""
    return os.environ.get("AIRFLOW_USERS", "admin:admin,lanhdao:viewer,noivu:user")  # noivu approves review packs


def airflow_connection(conn_id: str) -> str | None:
    """Airflow connection ``conn_id`` as given in the environment (``AIRFLOW_CONN_<ID>``), if any."""
    return os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}") or None


def named_secret(name: str) -> str | None:
    """A secret whose variable name comes from data (an Airflow user's password variable)."""
    return os.environ.get(name) or None


def mail_from() -> str:
    """Sender of the platform's mail (``PLATFORM_MAIL_FROM``)."""
    return os.environ.get("PLATFORM_MAIL_FROM") or "Văn Quan <thongke@vanquan.example>"


def leaders_email() -> str:
    """Where an approved review pack is mailed (``LEADERS_EMAIL``): the district leaders' address."""
    return os.environ.get("LEADERS_EMAIL") or "lanhdao@vanquan.example"


def inbox_settle_seconds() -> float:
    """How long a file must be still before it is picked up (``INBOX_SETTLE_SECONDS``)."""
    return float(os.environ.get("INBOX_SETTLE_SECONDS", "5"))


def inbox_settle_seconds_text() -> str:
    """``INBOX_SETTLE_SECONDS`` as given, to pass on to Airflow's processes unchanged."""
    return os.environ.get("INBOX_SETTLE_SECONDS", "5")


def ingest_read_timeout_seconds() -> float:
    """Wall-clock limit of the child that reads one file (``INGEST_READ_TIMEOUT_SECONDS``)."""
    return float(os.environ.get("INGEST_READ_TIMEOUT_SECONDS", "120"))


def ingest_read_memory_mb() -> int:
    """Memory limit of the child that reads one file (``INGEST_READ_MEMORY_MB``)."""
    return int(os.environ.get("INGEST_READ_MEMORY_MB", "2048"))


def standins_port() -> int:
    return int(os.environ.get("STANDINS_PORT", "8765"))


def superset_port() -> int:
    return int(os.environ.get("SUPERSET_PORT", "8088"))


def superset_url() -> str:
    """Where Superset answers (``SUPERSET_URL``, else the local one on ``SUPERSET_PORT``)."""
    return os.environ.get("SUPERSET_URL") or f"http://127.0.0.1:{superset_port()}"


def superset_service_user() -> str:
    """The Superset user the platform's jobs log in as (``SUPERSET_SERVICE_USER``)."""
    return os.environ.get("SUPERSET_SERVICE_USER", "admin")


def superset_admin_user() -> str:
    return os.environ.get("SUPERSET_ADMIN_USER", "admin")


def superset_admin_password() -> str | None:
    """``SUPERSET_ADMIN_PASSWORD`` as given (the caller decides on demo values and absence)."""
    return os.environ.get("SUPERSET_ADMIN_PASSWORD") or None


def superset_user_password() -> str | None:
    """The password for ``vq_superset.service user`` (``SUPERSET_USER_PASSWORD``)."""
    return os.environ.get("SUPERSET_USER_PASSWORD") or None


def superset_workers() -> str:
    """Gunicorn workers of the local Superset (``SUPERSET_WORKERS``)."""
    return os.environ.get("SUPERSET_WORKERS", "2")


def superset_behind_tls_proxy() -> bool | None:
    """``SUPERSET_BEHIND_TLS_PROXY`` as a flag; None when unset (the mode decides)."""
    flag = os.environ.get("SUPERSET_BEHIND_TLS_PROXY")
    return None if flag is None else flag.strip().lower() in ("1", "true", "yes")


def pdf_font_dir() -> Path | None:
    """A folder holding the review PDF's fonts (``VANQUAN_PDF_FONT_DIR``), searched first."""
    value = os.environ.get("VANQUAN_PDF_FONT_DIR")
    return Path(value) if value else None


def worker_name() -> str | None:
    """This Celery worker's own name (``VANQUAN_WORKER_NAME``), set by the local cluster."""
    return os.environ.get(WORKER_NAME_VARIABLE) or None


def psql_role() -> str:
    """The role ``make psql`` connects as (``PSQL_ROLE``)."""
    return os.environ.get("PSQL_ROLE", "transformer")
