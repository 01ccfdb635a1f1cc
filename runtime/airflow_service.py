"""Airflow on one machine: migrate its metadata database, start ``airflow standalone``.

The warm dbt server (``transform.warm_dbt``) starts and stops with it: the transform DAG's
builds run there, without dbt's import time.
"""

from __future__ import annotations

import json
import subprocess
import sys

from core import settings
from ingest import inbox
from runtime import services
from runtime.env import VENV_BIN, airflow_env, airflow_port, base_env
from transform import warm_dbt

__all__ = ["airflow_port", "dags_test", "demo_logins", "setup", "start", "stop"]

NAME = "airflow"
WARM_DBT = "warm-dbt"
WAREHOUSE_POOL_SLOTS = 4


def airflow(*args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(VENV_BIN / "airflow"), *args], env=airflow_env(), check=check, capture_output=capture, text=True
    )


def setup() -> None:
    """Create or upgrade the metadata database and the warehouse pool, and the offices' inbox
    folders (idempotent)."""
    settings.paths().airflow_home.mkdir(parents=True, exist_ok=True)
    inbox.make_office_folders(settings.paths().inbox, inbox.office_codes())
    airflow("db", "migrate", capture=True)
    airflow("pools", "set", "warehouse", str(WAREHOUSE_POOL_SLOTS), "Connections to the warehouse", capture=True)


def health_url() -> str:
    return f"http://127.0.0.1:{airflow_port()}/api/v2/monitor/health"


def start_warm_dbt() -> bool:
    """The warm dbt server of this state folder (idempotent)."""
    return services.start(WARM_DBT, [sys.executable, "-m", "transform.warm_dbt"], base_env(), warm_dbt.answers, 60)


def start() -> bool:
    start_warm_dbt()
    return services.start(NAME, [str(VENV_BIN / "airflow"), "standalone"], airflow_env(), health_url())


def stop() -> bool:
    services.stop(WARM_DBT)
    return services.stop(NAME)


def demo_logins() -> dict[str, str]:
    """The passwords the simple auth manager generated (demo only)."""
    path = settings.paths().airflow_home / "simple_auth_manager_passwords.json.generated"
    return json.loads(path.read_text()) if path.exists() else {}


def dags_test(dag_id: str, logical_date: str | None = None) -> subprocess.CompletedProcess:
    args = ["dags", "test", dag_id]
    if logical_date:
        args.append(logical_date)
    return airflow(*args, check=False, capture=True)


if __name__ == "__main__":
    setup()
