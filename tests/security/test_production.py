"""Production guards: demo values only on request, no superuser outside the init, FAB and a
Fernet key for Airflow, Talisman and secure cookies for Superset, paths from settings."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from core import settings

ROLES = ("ADMIN", "LOADER", "TRANSFORMER", "READER", "AIRFLOW", "SUPERSET")
CONFIG = settings.REPO_ROOT / "superset" / "superset_config.py"
SUPERSET_PY = settings.REPO_ROOT / ".venv-superset" / "bin" / "python"
# Loads the config as Superset does (in its own environment: the config subclasses Superset's
# security manager) and prints the settings the tests read.
LOAD_CONFIG = """
import json, runpy, sys
from core import settings
try:
    config = runpy.run_path(sys.argv[1])
except settings.SettingsError as exc:
    print(json.dumps({"error": str(exc)}))
    raise SystemExit(0)
keys = ("TALISMAN_ENABLED", "TALISMAN_CONFIG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
        "ENABLE_PROXY_FIX", "GUEST_TOKEN_JWT_SECRET")
print(json.dumps({k: config.get(k) for k in keys}))
"""


def superset_config() -> dict:
    """The Superset config under the current environment; a SettingsError is raised again here."""
    done = subprocess.run(
        [str(SUPERSET_PY), "-c", LOAD_CONFIG, str(CONFIG)],
        env=dict(os.environ, PYTHONPATH=str(settings.REPO_ROOT)),
        cwd=settings.REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    config = json.loads(done.stdout.strip().splitlines()[-1])
    if "error" in config:
        raise settings.SettingsError(config["error"])
    return config


@pytest.fixture()
def production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A production environment pointed at a real warehouse, with PLATFORM_MODE left unset."""
    monkeypatch.delenv("PLATFORM_MODE", raising=False)
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))
    monkeypatch.setenv("WAREHOUSE_URL", "postgresql://postgres:x@db.example:5432/warehouse")
    for role in ROLES:
        monkeypatch.setenv(f"WAREHOUSE_{role}_PASSWORD", f"real-{role.lower()}-secret")
    for name in ("AIRFLOW_SECRET_KEY", "AIRFLOW_JWT_SECRET", "SUPERSET_SECRET_KEY", "GUEST_TOKEN_JWT_SECRET"):
        monkeypatch.setenv(name, f"real-{name.lower()}")
    monkeypatch.setenv("AIRFLOW_FERNET_KEY", "q7bBCNWjJ6DUF1nd2nVx7tZ8p0VZ7C4aGQqk1v3ZJmE=")
    return monkeypatch


def test_without_an_explicit_demo_mode_the_platform_is_in_production(production) -> None:
    assert settings.platform_mode() == "production" and not settings.is_demo()


DEMO_SECRETS = [
    ("WAREHOUSE_READER_PASSWORD", lambda: settings.role_password("reader"), "demo-reader"),
    ("WAREHOUSE_ADMIN_PASSWORD", settings.admin_password, "demo-admin"),
    ("AIRFLOW_FERNET_KEY", lambda: __import__("runtime.env").env.airflow_env(), None),
    ("AIRFLOW_SECRET_KEY", lambda: __import__("runtime.env").env.airflow_env(), "demo-airflow-secret-key"),
    ("AIRFLOW_JWT_SECRET", lambda: __import__("runtime.env").env.airflow_env(), "demo-airflow-jwt-secret-0123456789"),
    ("SUPERSET_SECRET_KEY", superset_config, "demo-superset-secret-key-not-for-production"),
    ("GUEST_TOKEN_JWT_SECRET", superset_config, "demo-guest-token-jwt-secret"),
    ("TREASURY_READER_PASSWORD", lambda: __import__("standins.treasury").treasury.reader_password(), None),
]


@pytest.mark.parametrize(("name", "use", "demo_value"), DEMO_SECRETS, ids=[d[0] for d in DEMO_SECRETS])
def test_every_demo_secret_is_refused_when_a_warehouse_url_is_set(production, name, use, demo_value) -> None:
    from runtime.env import DEMO_FERNET_KEY

    demo_value = demo_value or ("demo-treasury-reader" if name == "TREASURY_READER_PASSWORD" else DEMO_FERNET_KEY)
    production.delenv(name, raising=False)
    with pytest.raises(settings.SettingsError, match=name):
        use()  # missing: no silent demo fallback
    production.setenv(name, demo_value)
    with pytest.raises(settings.SettingsError, match=name) as refused:
        use()  # the demo value itself
    assert demo_value not in str(refused.value)  # the message names the variable, not the value
    production.setenv(name, "demo-something-else")
    with pytest.raises(settings.SettingsError, match=name):
        use()  # anything that looks like a demo value


def test_the_demo_command_refuses_to_run_outside_demo_mode(production) -> None:
    from runtime import demo

    with pytest.raises(demo.NotADemo, match="PLATFORM_MODE=demo"):
        demo.main()


def test_services_reach_the_warehouse_without_the_superuser(production) -> None:
    production.delenv("WAREHOUSE_URL")
    production.delenv("WAREHOUSE_ADMIN_PASSWORD")
    production.setenv("WAREHOUSE_HOST", "postgres")
    production.setenv("WAREHOUSE_PORT", "5432")
    assert not settings.embedded()
    dsn = settings.role_dsn("loader")
    assert (dsn["host"], dsn["port"], dsn["user"]) == ("postgres", 5432, "vq_loader")
    assert settings.role_url("reader") == "postgresql://vq_reader:" + "real-reader-secret" + "@postgres:5432/warehouse"
    with pytest.raises(settings.SettingsError, match="only the one-shot init"):
        settings.admin_url()


def test_airflow_in_production_uses_fab_and_the_fernet_key(production) -> None:
    from runtime.env import FAB_AUTH_MANAGER, airflow_env

    env = airflow_env()
    assert env["AIRFLOW__CORE__AUTH_MANAGER"] == FAB_AUTH_MANAGER
    assert env["AIRFLOW__CORE__FERNET_KEY"] == "q7bBCNWjJ6DUF1nd2nVx7tZ8p0VZ7C4aGQqk1v3ZJmE="
    assert "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS" not in env
    assert env["AIRFLOW__LOGGING__HIDE_SENSITIVE_VAR_CONN_FIELDS"] == "True"


def test_the_demo_keeps_the_simple_auth_manager(monkeypatch) -> None:
    from runtime.env import airflow_env

    monkeypatch.setenv("PLATFORM_MODE", "demo")
    env = airflow_env()
    assert "AIRFLOW__CORE__AUTH_MANAGER" not in env or "simple" in env["AIRFLOW__CORE__AUTH_MANAGER"]
    assert env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS"]
    from cryptography.fernet import Fernet

    Fernet(env["AIRFLOW__CORE__FERNET_KEY"])  # a valid key, even in the demo


def test_paths_come_from_settings(production, tmp_path: Path) -> None:
    production.setenv("DBT_EXECUTABLE", "/opt/venv/bin/dbt")
    production.setenv("DBT_MANIFEST_PATH", "/var/lib/vanquan/dbt/target/manifest.json")
    assert settings.dbt_executable() == "/opt/venv/bin/dbt"
    assert settings.dbt_manifest_path() == Path("/var/lib/vanquan/dbt/target/manifest.json")
    production.delenv("DBT_MANIFEST_PATH")
    assert settings.dbt_manifest_path() == tmp_path / "dbt" / "target" / "manifest.json"


def test_superset_runs_with_talisman_secure_cookies_and_a_guest_token_secret(production) -> None:
    config = superset_config()
    assert config["TALISMAN_ENABLED"] is True
    csp = config["TALISMAN_CONFIG"]["content_security_policy"]
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == "'none'"
    assert "'strict-dynamic'" in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert not [src for values in csp.values() for src in values if "http" in src]  # no third parties
    assert config["TALISMAN_CONFIG"]["content_security_policy_nonce_in"] == ["script-src"]
    assert config["SESSION_COOKIE_SECURE"] is True and config["TALISMAN_CONFIG"]["session_cookie_secure"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["ENABLE_PROXY_FIX"] is True
    assert config["GUEST_TOKEN_JWT_SECRET"] == "real-guest_token_jwt_secret"


def test_the_local_demo_keeps_plain_http_cookies(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PLATFORM_MODE", "demo")
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path))
    monkeypatch.delenv("SUPERSET_BEHIND_TLS_PROXY", raising=False)
    config = superset_config()
    assert config["TALISMAN_ENABLED"] is True
    assert config["SESSION_COOKIE_SECURE"] is False  # http://127.0.0.1 would drop a Secure cookie


# Airflow users from code: tests/security/test_airflow_fab_users.py runs them through the real FAB.
