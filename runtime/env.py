"""The environment each component runs with, derived from core.settings.

One function per component so that the Makefile, the tests and the demo start Airflow,
dbt and Superset exactly the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core import settings
from transform.dbt_runner import dbt_env

VENV_BIN = Path(sys.executable).parent
FAB_AUTH_MANAGER = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
# A valid Fernet key (urlsafe base64 of 32 bytes) for demo mode only; refused outside it.
DEMO_FERNET_KEY = "ZGVtbyBmZXJuZXQga2V5LCBub3QgcHJvZHVjdGlvbiE="
SUPERSET_VENV_BIN = settings.REPO_ROOT / ".venv-superset" / "bin"


def airflow_port() -> int:
    return settings.airflow_port()


def superset_port() -> int:
    return settings.superset_port()


def base_env() -> dict[str, str]:
    """What every process of the platform shares."""
    env = settings.environment()
    env.update(
        {
            "PLATFORM_HOME": str(settings.platform_home()),
            "PLATFORM_MODE": settings.platform_mode(),
            "WAREHOUSE_PORT": str(settings.warehouse_port()),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.REPO_ROOT), env.get("PYTHONPATH")])),
            "GX_ANALYTICS_ENABLED": "False",
            "DO_NOT_TRACK": "1",
            "PATH": os.pathsep.join([str(VENV_BIN), env.get("PATH", "")]),
        }
    )
    return env


def airflow_env() -> dict[str, str]:
    """Airflow 3 with its metadata in the warehouse server's ``airflow`` database."""
    paths = settings.paths()
    port = airflow_port()
    env = base_env()
    env.update(
        {
            "AIRFLOW_HOME": str(paths.airflow_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(settings.REPO_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(settings.REPO_ROOT / "airflow_plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": settings.airflow_parallelism(),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": settings.role_url("airflow", "airflow", "postgresql+psycopg2"),
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__SECRET_KEY": settings.secret("AIRFLOW_SECRET_KEY", "demo-airflow-secret-key"),
            "AIRFLOW__API_AUTH__JWT_SECRET": settings.secret(
                "AIRFLOW_JWT_SECRET", "demo-airflow-jwt-secret-0123456789"
            ),
            "AIRFLOW__CORE__FERNET_KEY": settings.secret("AIRFLOW_FERNET_KEY", DEMO_FERNET_KEY),
            "AIRFLOW__LOGGING__HIDE_SENSITIVE_VAR_CONN_FIELDS": "True",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(paths.logs / "airflow"),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(paths.home / "cosmos"),
            "AIRFLOW_CONN_SMTP_DEFAULT": settings.airflow_connection("smtp_default") or "smtp://127.0.0.1:8025",
            "AIRFLOW__EMAIL__FROM_EMAIL": settings.mail_from(),
            "INBOX_SETTLE_SECONDS": settings.inbox_settle_seconds_text(),
        }
    )
    if settings.is_demo():
        # Demo: the simple auth manager, with passwords it generates into AIRFLOW_HOME.
        env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"] = settings.airflow_demo_users()
    else:
        # Production: FAB, users and roles from runtime/airflow_users.py, passwords from the environment.
        env["AIRFLOW__CORE__AUTH_MANAGER"] = FAB_AUTH_MANAGER
        env.pop("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", None)
    env.update(dbt_env())
    env["DBT_EXECUTABLE"] = settings.dbt_executable()
    env["DBT_MANIFEST_PATH"] = str(settings.dbt_manifest_path())
    # Cosmos runs each model in its own temporary copy of the project, with its own target
    # folder (and a cached partial parse): a shared target path would be written by parallel
    # tasks at once, over the manifest the transform DAG is rendered from.
    env.pop("DBT_TARGET_PATH", None)
    env.pop("DBT_LOG_PATH", None)
    if settings.is_demo():
        # Demo only: point the system connectors at the stand-in systems (real ones come from the environment).
        for key, value in standin_connections().items():
            env.setdefault(key, value)
    return env


def standins_port() -> int:
    return settings.standins_port()


def standin_connections() -> dict[str, str]:
    from standins import treasury
    from standins.http_server import connection_env

    return {**connection_env(standins_port()), "AIRFLOW_CONN_TREASURY_DB": treasury.connection_json()}


def superset_env() -> dict[str, str]:
    paths = settings.paths()
    env = base_env()
    env.update(
        {
            "SUPERSET_HOME": str(paths.superset_home),
            "SUPERSET_CONFIG_PATH": str(settings.REPO_ROOT / "superset" / "superset_config.py"),
            "SUPERSET_PORT": str(superset_port()),
            "FLASK_APP": "superset",
            "PATH": os.pathsep.join([str(SUPERSET_VENV_BIN), settings.environment().get("PATH", "")]),
        }
    )
    return env
