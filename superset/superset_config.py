"""Superset configuration of the Văn Quan platform, read by Superset through SUPERSET_CONFIG_PATH.

Every secret and location comes from the environment through ``ingest.settings`` (stdlib
only, so the Superset venv can import it): the metadata database is ``superset`` on the
warehouse server, owned by ``vq_superset``; demo values exist only when PLATFORM_MODE=demo.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from ingest import settings  # noqa: E402

DEMO_SECRET_KEY = "demo-superset-secret-key-not-for-production"  # noqa: S105


def _secret_key() -> str:
    """Superset signs sessions with it; refuse to start without one outside demo mode."""
    key = os.environ.get("SUPERSET_SECRET_KEY", "")
    if key and (settings.is_demo() or key != DEMO_SECRET_KEY):
        return key
    if settings.is_demo():
        return DEMO_SECRET_KEY
    raise settings.SettingsError("SUPERSET_SECRET_KEY must be set outside demo mode")


SUPERSET_HOME = settings.paths().superset_home
DATA_DIR = str(SUPERSET_HOME)
CACHE_DIR = SUPERSET_HOME / "cache"

SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = settings.role_url("superset", database="superset")
SQLALCHEMY_TRACK_MODIFICATIONS = False

# Vietnamese where Superset lets us: no Vietnamese UI catalogue ships with Superset, so the
# chrome stays in English (the front end falls back when /language_pack/vi/ is missing),
# but numbers use Vietnamese separators (17.600; 8,5). The front end looks the default
# locale up in LANGUAGES, so "vi" must be listed there or the page does not render.
BABEL_DEFAULT_LOCALE = "vi"
LANGUAGES = {"vi": {"flag": "vn", "name": "Tiếng Việt"}}
D3_FORMAT = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}
D3_TIME_FORMAT = {
    "dateTime": "%A, %d/%m/%Y, %X",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["SA", "CH"],
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {n}" for n in range(1, 13)],
    "shortMonths": [f"Th{n}" for n in range(1, 13)],
}
CURRENCIES = ["VND"]

# Nobody sees anything without logging in; dashboards are granted through roles only.
PUBLIC_ROLE_LIKE = None
AUTH_ROLE_PUBLIC = "Public"
FAB_ADD_SECURITY_API = True

# A file cache shared by the gunicorn workers: the dashboards DAG warms it by asking the
# chart data API for every chart after the marts are rebuilt.
CACHE_DEFAULT_TIMEOUT = 24 * 3600
CACHE_CONFIG = {
    "CACHE_TYPE": "FileSystemCache",
    "CACHE_DIR": str(CACHE_DIR / "objects"),
    "CACHE_DEFAULT_TIMEOUT": CACHE_DEFAULT_TIMEOUT,
    "CACHE_KEY_PREFIX": "vq_obj_",
}
DATA_CACHE_CONFIG = {
    "CACHE_TYPE": "FileSystemCache",
    "CACHE_DIR": str(CACHE_DIR / "data"),
    "CACHE_DEFAULT_TIMEOUT": CACHE_DEFAULT_TIMEOUT,
    "CACHE_KEY_PREFIX": "vq_data_",
}
THUMBNAIL_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

# No telemetry, no examples, no CDN: the server may run without internet.
SUPERSET_LOAD_EXAMPLES = False
TALISMAN_ENABLED = False
WTF_CSRF_ENABLED = True
FEATURE_FLAGS = {
    "DASHBOARD_RBAC": True,
    "EMBEDDED_SUPERSET": False,
    "ALERT_REPORTS": False,
}
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 10000
