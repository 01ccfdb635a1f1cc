"""Superset's own pages under the production config: CSP with a nonce on every script, Secure cookies.

Slow (Superset's metadata migrations on SQLite take minutes on two cores): ``--run-slow``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from core import settings

SUPERSET_PYTHON = settings.REPO_ROOT / ".venv-superset" / "bin" / "python"
CHECK = """
from superset.app import create_app
response = create_app().test_client().get("/login/")
print("STATUS", response.status_code)
print("CSP", response.headers.get("Content-Security-Policy"))
print("COOKIE", response.headers.get("Set-Cookie"))
print("BODY", response.get_data(as_text=True).replace("\\n", " "))
"""


@pytest.mark.slow
def test_the_login_page_works_under_talisman_with_secure_cookies(tmp_path: Path) -> None:
    if not SUPERSET_PYTHON.exists():
        pytest.skip("no Superset environment")
    config = tmp_path / "config.py"
    config.write_text(
        "import runpy\n"
        f"_g = runpy.run_path({str(settings.REPO_ROOT / 'superset' / 'superset_config.py')!r})\n"
        "globals().update({k: v for k, v in _g.items() if k.isupper()})\n"
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{tmp_path / 'meta.db'}'\n"
    )
    env = {
        **os.environ,
        "PLATFORM_MODE": "production",
        "PLATFORM_HOME": str(tmp_path / "home"),
        "SUPERSET_CONFIG_PATH": str(config),
        "SUPERSET_SECRET_KEY": "a-real-superset-secret-key-0123456789",
        "GUEST_TOKEN_JWT_SECRET": "a-real-guest-token-secret",
        "WAREHOUSE_HOST": "127.0.0.1",
        "WAREHOUSE_SUPERSET_PASSWORD": "unused-here",
        "PYTHONPATH": str(settings.REPO_ROOT),
    }
    env.pop("WAREHOUSE_URL", None)
    superset = SUPERSET_PYTHON.parent / "superset"
    subprocess.run([str(superset), "db", "upgrade"], env=env, check=True, capture_output=True, timeout=900)
    out = subprocess.run(
        [str(SUPERSET_PYTHON), "-c", CHECK], env=env, check=True, capture_output=True, text=True, timeout=300
    ).stdout
    lines = dict(
        line.split(" ", 1) for line in out.splitlines() if line.split(" ", 1)[0] in ("STATUS", "CSP", "COOKIE", "BODY")
    )
    assert lines["STATUS"] == "200"
    nonce = re.search(r"'nonce-([^']+)'", lines["CSP"]).group(1)
    assert "default-src 'self'" in lines["CSP"] and "object-src 'none'" in lines["CSP"]
    scripts = re.findall(r"<script[^>]*>", lines["BODY"])
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)
    assert "Secure" in lines["COOKIE"] and "HttpOnly" in lines["COOKIE"]
