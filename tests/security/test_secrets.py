"""Secrets stay out of the repository and demo values stay in demo mode."""

from __future__ import annotations

import re
import subprocess

import pytest

from core import settings

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "password in a URL": re.compile(
        r"://[\w.-]+:(?!\$\{|\{|demo-|password@|pw@|x@|secret@|p%40ss@|PASSWORD@)[^@\s/'\"]{6,}@"
    ),
    "assigned secret": re.compile(
        r"(?i)\b(password|secret_key|api_key|token)\s*=\s*['\"](?!demo-|admin['\"]|\{|\$)[^'\"\s]{12,}['\"]"
    ),
}


def tracked_files() -> list[str]:
    result = subprocess.run(["git", "ls-files"], cwd=settings.REPO_ROOT, capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if not line.endswith((".xlsx", ".xls", ".ods", ".lock"))]


def test_no_secret_is_committed() -> None:
    findings = []
    for name in tracked_files():
        if name == "tests/security/test_secrets.py":  # holds deliberate samples to prove the scanner works
            continue
        path = settings.REPO_ROOT / name
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        for label, pattern in SECRET_PATTERNS.items():
            findings.extend(f"{name}: {label}: {m.group(0)[:40]}" for m in pattern.finditer(text))
    assert findings == []


def test_the_scanner_would_catch_a_real_secret() -> None:
    sample = 'SECRET_KEY = "k8Jd93nLx02mZq7Wp"\nurl = "postgresql://vq_loader:Xk29dmwq81@db:5432/warehouse"'
    hits = [label for label, pattern in SECRET_PATTERNS.items() if pattern.search(sample)]
    assert set(hits) == {"assigned secret", "password in a URL"}


def test_demo_passwords_are_refused_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_MODE", "production")
    monkeypatch.delenv("WAREHOUSE_READER_PASSWORD", raising=False)
    with pytest.raises(settings.SettingsError):
        settings.role_password("reader")
    monkeypatch.setenv("WAREHOUSE_READER_PASSWORD", "demo-reader")
    with pytest.raises(settings.SettingsError):
        settings.role_password("reader")
    monkeypatch.setenv("WAREHOUSE_READER_PASSWORD", "a-real-long-secret")
    assert settings.role_password("reader") == "a-real-long-secret"


def test_production_requires_airflow_secret_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from runtime.env import airflow_env

    monkeypatch.setenv("PLATFORM_MODE", "production")
    for name in ("AIRFLOW_SECRET_KEY", "AIRFLOW_JWT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for role in ("ADMIN", "LOADER", "TRANSFORMER", "READER", "AIRFLOW", "SUPERSET"):
        monkeypatch.setenv(f"WAREHOUSE_{role}_PASSWORD", f"real-{role.lower()}-secret")
    with pytest.raises(settings.SettingsError, match="AIRFLOW_SECRET_KEY"):
        airflow_env()
