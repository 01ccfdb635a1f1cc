"""Airflow's production users and roles come from code, through the real FAB auth manager.

A throw-away Airflow metadata database (SQLite) migrated with the FAB auth manager, then
``python -m runtime.airflow_users`` run twice as the compose file's ``airflow-init`` runs
it: users are created, then updated (rotated password, role from code) and never duplicated;
FAB itself checks the stored password hashes; no password reaches the output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import settings
from runtime.env import FAB_AUTH_MANAGER

PY = sys.executable
AIRFLOW = str(Path(sys.executable).with_name("airflow"))

# Runs inside FAB's application: every user with its roles, and whether each password the
# test set is the one FAB stored (werkzeug's hashing, which FAB's database login uses).
CHECK = """
import json, sys
from werkzeug.security import check_password_hash
from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder
expected = json.loads(sys.argv[1])
with get_application_builder() as appbuilder:
    sm = appbuilder.sm
    users = {u.username: sorted(r.name for r in u.roles) for u in sm.get_all_users()}
    checks = {name: check_password_hash(sm.find_user(username=name).password, pw) for name, pw in expected.items()}
print(json.dumps({"users": users, "checks": checks}))
"""


@pytest.fixture(scope="module")
def fab_airflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a production Airflow with FAB, its metadata database migrated."""
    home = tmp_path_factory.mktemp("fab-airflow")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_", "AIRFLOW__")) and k != "PLATFORM_MODE"}
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__AUTH_MANAGER": FAB_AUTH_MANAGER,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__API_AUTH__JWT_SECRET": "test-jwt-secret-for-fab-users",
            "AIRFLOW__API__SECRET_KEY": "test-secret-key-for-fab-users",
            "PLATFORM_MODE": "production",
            "PLATFORM_HOME": str(home / "platform"),
            "PYTHONPATH": str(settings.REPO_ROOT),
        }
    )
    migrated = subprocess.run(
        [AIRFLOW, "db", "migrate"], env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    return env


def _sync(env: dict[str, str], **passwords: str) -> subprocess.CompletedProcess:
    run_env = {k: v for k, v in env.items() if not k.endswith("_PASSWORD")}
    run_env.update(passwords)
    return subprocess.run(
        [PY, "-m", "runtime.airflow_users"],
        env=run_env,
        cwd=settings.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _state(env: dict[str, str], expected: dict[str, str]) -> dict:
    done = subprocess.run(
        [PY, "-c", CHECK, json.dumps(expected)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_users_and_roles_from_code_in_the_real_fab(fab_airflow: dict[str, str]) -> None:
    first = _sync(fab_airflow, AIRFLOW_ADMIN_PASSWORD="Adm1n-very-secret-pw", AIRFLOW_VIEWER_PASSWORD="V1ewer-pw-42")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "AIRFLOW_OPERATOR_PASSWORD is not set" in first.stdout + first.stderr

    second = _sync(
        fab_airflow, AIRFLOW_ADMIN_PASSWORD="Adm1n-rotated-secret-pw", AIRFLOW_VIEWER_PASSWORD="V1ewer-pw-42"
    )
    assert second.returncode == 0, second.stderr[-3000:]

    state = _state(fab_airflow, {"admin": "Adm1n-rotated-secret-pw", "lanhdao": "V1ewer-pw-42"})
    assert state["users"] == {"admin": ["Admin"], "lanhdao": ["Viewer"]}
    assert state["checks"] == {"admin": True, "lanhdao": True}
    # the old password no longer opens the door
    assert _state(fab_airflow, {"admin": "Adm1n-very-secret-pw"})["checks"] == {"admin": False}

    everything = first.stdout + first.stderr + second.stdout + second.stderr
    for secret in ("Adm1n-very-secret-pw", "Adm1n-rotated-secret-pw", "V1ewer-pw-42"):
        assert secret not in everything


def test_a_missing_or_demo_admin_password_stops_the_real_setup(fab_airflow: dict[str, str]) -> None:
    missing = _sync(fab_airflow)
    assert (missing.returncode, "AIRFLOW_ADMIN_PASSWORD must be set" in missing.stderr) == (1, True)
    demo = _sync(fab_airflow, AIRFLOW_ADMIN_PASSWORD="demo-admin")
    assert (demo.returncode, "demo value" in demo.stderr, "demo-admin" in demo.stderr) == (1, True, False)
