"""Production guards: demo values only on request, no superuser outside the init, FAB and a
Fernet key for Airflow, Talisman and secure cookies for Superset, paths from settings."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path

import pytest

from core import settings
from runtime import airflow_users

ROLES = ("ADMIN", "LOADER", "TRANSFORMER", "READER", "AIRFLOW", "SUPERSET")
CONFIG = settings.REPO_ROOT / "superset" / "superset_config.py"


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
    ("SUPERSET_SECRET_KEY", lambda: runpy.run_path(str(CONFIG)), "demo-superset-secret-key-not-for-production"),
    ("GUEST_TOKEN_JWT_SECRET", lambda: runpy.run_path(str(CONFIG)), "demo-guest-token-jwt-secret"),
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
    config = runpy.run_path(str(CONFIG))
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
    config = runpy.run_path(str(CONFIG))
    assert config["TALISMAN_ENABLED"] is True
    assert config["SESSION_COOKIE_SECURE"] is False  # http://127.0.0.1 would drop a Secure cookie


# ------------------------------------------------------------------ Airflow users from code
class FakeRole:
    def __init__(self, name: str) -> None:
        self.name = name


class FakeUser:
    def __init__(self, user_id: int, username: str, role: FakeRole) -> None:
        self.id, self.username, self.roles = user_id, username, [role]


class FakeSecurityManager:
    """What sync() uses of FAB's security manager, recording the passwords it is given."""

    def __init__(self) -> None:
        self.roles = {n: FakeRole(n) for n in ("Admin", "Op", "User", "Viewer")}
        self.users: dict[str, FakeUser] = {}
        self.passwords: dict[str, str] = {}

    def find_role(self, name):
        return self.roles.get(name)

    def find_user(self, username=None):
        return self.users.get(username)

    def add_user(self, username, first, last, email, role, password):
        self.users[username] = FakeUser(len(self.users) + 1, username, role)
        self.passwords[username] = password
        return self.users[username]

    def update_user(self, user):
        self.users[user.username] = user

    def reset_password(self, user_id, password):
        name = next(u.username for u in self.users.values() if u.id == user_id)
        self.passwords[name] = password


def test_airflow_users_and_roles_come_from_code_and_passwords_never_reach_a_log(production, caplog, capsys) -> None:
    production.setenv("AIRFLOW_ADMIN_PASSWORD", "Adm1n-very-secret-pw")
    production.setenv("AIRFLOW_VIEWER_PASSWORD", "V1ewer-very-secret-pw")
    production.delenv("AIRFLOW_OPERATOR_PASSWORD", raising=False)
    sm = FakeSecurityManager()
    caplog.set_level(logging.DEBUG)

    assert airflow_users.sync(sm) == ["admin", "lanhdao"]
    production.setenv("AIRFLOW_ADMIN_PASSWORD", "Adm1n-rotated-secret-pw")
    assert airflow_users.sync(sm) == ["admin", "lanhdao"]  # idempotent: updates, never duplicates

    assert {n: [r.name for r in u.roles] for n, u in sm.users.items()} == {"admin": ["Admin"], "lanhdao": ["Viewer"]}
    assert sm.passwords == {"admin": "Adm1n-rotated-secret-pw", "lanhdao": "V1ewer-very-secret-pw"}
    out = capsys.readouterr()
    everything = caplog.text + out.out + out.err
    assert "AIRFLOW_OPERATOR_PASSWORD is not set" in everything
    for secret in ("Adm1n-very-secret-pw", "Adm1n-rotated-secret-pw", "V1ewer-very-secret-pw"):
        assert secret not in everything


def test_a_missing_or_demo_admin_password_stops_the_user_setup(production) -> None:
    production.delenv("AIRFLOW_ADMIN_PASSWORD", raising=False)
    with pytest.raises(airflow_users.UserSetupError, match="AIRFLOW_ADMIN_PASSWORD must be set"):
        airflow_users.sync(FakeSecurityManager())
    production.setenv("AIRFLOW_ADMIN_PASSWORD", "demo-admin")
    with pytest.raises(airflow_users.UserSetupError, match="demo value") as refused:
        airflow_users.sync(FakeSecurityManager())
    assert "demo-admin" not in str(refused.value)
