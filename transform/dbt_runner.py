"""Run the dbt project as the transformer role, with all its state under PLATFORM_HOME.

dbt reads its connection from ``dbt/profiles.yml`` through environment variables; this
module is the one place that fills them from ``core.settings`` so Airflow tasks, tests
and the command line all build the same way, and dbt never writes into the source tree.
A command runs in the warm dbt server (``transform.warm_dbt``) when one is serving this
state folder, and in a dbt process of its own otherwise.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from core import settings
from transform import warm_dbt

log = logging.getLogger(__name__)

OUTPUT_TAIL_LINES = 60


class DbtRunError(RuntimeError):
    """dbt exited with an error; the message carries the end of its output."""


def dbt_env() -> dict[str, str]:
    """The environment variables dbt needs: connection of vq_transformer and state paths."""
    parts = urlsplit(settings.role_url("transformer"))
    paths = settings.paths()
    return {
        "VQ_DBT_HOST": parts.hostname or "127.0.0.1",
        "VQ_DBT_PORT": str(parts.port or 5432),
        "VQ_DBT_USER": unquote(parts.username or settings.role_name("transformer")),
        "VQ_DBT_PASSWORD": unquote(parts.password or ""),
        "VQ_DBT_DBNAME": settings.WAREHOUSE_DB,
        "DBT_PROFILES_DIR": str(settings.DBT_PROJECT_DIR),
        "DBT_PROJECT_DIR": str(settings.DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": str(paths.dbt_target),
        "DBT_LOG_PATH": str(paths.logs / "dbt"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }


def _dbt_executable() -> str:
    """The dbt the settings name (``DBT_EXECUTABLE``, else beside this interpreter, else on PATH)."""
    found = settings.dbt_executable()
    if not Path(found).exists() and shutil.which(found) is None:
        raise DbtRunError("dbt is not installed in this environment (no 'dbt' executable found)")
    return found


def run_dbt(args: list[str]) -> None:
    """Run ``dbt <args>`` in the project folder; raise DbtRunError if dbt fails."""
    env = {**settings.environment(), **dbt_env()}
    Path(env["DBT_TARGET_PATH"]).mkdir(parents=True, exist_ok=True)
    Path(env["DBT_LOG_PATH"]).mkdir(parents=True, exist_ok=True)
    warm = warm_dbt.run(args, env, settings.DBT_PROJECT_DIR)
    if warm is not None:
        log.info("ran dbt %s in the warm dbt server", " ".join(args))
        returncode, text = warm.returncode, warm.output
    else:
        command = [_dbt_executable(), *args]
        log.info("running %s", " ".join(command))
        result = subprocess.run(
            command,
            cwd=settings.DBT_PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        returncode, text = result.returncode, result.stdout + result.stderr
    if returncode != 0:
        output = text.strip().splitlines()
        tail = "\n".join(output[-OUTPUT_TAIL_LINES:])
        raise DbtRunError(
            f"dbt {' '.join(args)} failed with exit code {returncode}; "
            f"full log in {env['DBT_LOG_PATH']}/dbt.log. Last lines:\n{tail}"
        )
    log.info("dbt %s finished", " ".join(args))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    try:
        run_dbt(sys.argv[1:] or ["build"])
    except DbtRunError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
