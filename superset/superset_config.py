"""Superset configuration of the Văn Quan platform, read by Superset through SUPERSET_CONFIG_PATH.

Every secret and location comes from the environment through ``core.settings`` (stdlib
only, so the Superset venv can import it): the metadata database is ``superset`` on the
warehouse server, owned by ``vq_superset``; demo values exist only when PLATFORM_MODE=demo.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from core import settings  # noqa: E402

DEMO_SECRET_KEY = "demo-superset-secret-key-not-for-production"  # noqa: S105


def _secret_key() -> str:
    """Superset signs sessions with it; refuse to start without one outside demo mode."""
    return settings.secret("SUPERSET_SECRET_KEY", DEMO_SECRET_KEY)


DEMO_GUEST_TOKEN_SECRET = "demo-guest-token-jwt-secret"  # noqa: S105


def _guest_token_secret() -> str:
    """Signs embedded-dashboard guest tokens; Superset's built-in default is public, never used."""
    return settings.secret("GUEST_TOKEN_JWT_SECRET", DEMO_GUEST_TOKEN_SECRET)


def _behind_tls() -> bool:
    """Production serves only through the TLS proxy; the demo serves plain HTTP on 127.0.0.1."""
    flag = settings.superset_behind_tls_proxy()
    if flag is not None:
        return flag
    return not settings.is_demo()


SUPERSET_HOME = settings.paths().superset_home
DATA_DIR = str(SUPERSET_HOME)
CACHE_DIR = SUPERSET_HOME / "cache"

SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = settings.role_url("superset", database="superset")
SQLALCHEMY_TRACK_MODIFICATIONS = False

# The interface in Vietnamese: superset/translations holds the project's catalogues (Superset's
# and Flask-AppBuilder's), compiled and installed into both packages by
# superset/translations/install.py (make install, the image). Vietnamese is the default; the
# language menu offers English too. The front end looks the locale up in LANGUAGES, so "vi"
# must be listed there or the page does not render.
BABEL_DEFAULT_LOCALE = "vi"
LANGUAGES = {"vi": {"flag": "vn", "name": "Tiếng Việt"}, "en": {"flag": "us", "name": "English"}}
# Relative to the superset package (where install.py puts vi/); Flask-AppBuilder prepends its own.
BABEL_TRANSLATION_DIRECTORIES = "translations"


def _public_language_pack() -> type:
    """The login page is shown before anyone logs in, yet the front end fetches its strings from
    /superset/language_pack/<lang>/, which Superset guards with has_access: without this the
    login page falls back to English. Only that view's permission is public; the catalogue holds
    interface strings, nothing else."""
    from superset.security import SupersetSecurityManager

    class VanQuanSecurityManager(SupersetSecurityManager):
        def is_item_public(self, permission_name: str, view_name: str) -> bool:
            if (permission_name, view_name) == ("can_language_pack", "Superset"):
                return True
            return super().is_item_public(permission_name, view_name)

    return VanQuanSecurityManager


CUSTOM_SECURITY_MANAGER = _public_language_pack()
# Superset answers an unknown page (or dashboard) with its built static/assets/404.html, which
# is English and outside every catalogue; the project's Vietnamese page replaces it.
NOT_FOUND_PAGE_VI = REPO_ROOT / "superset" / "translations" / "pages" / "404.vi.html"


def _vietnamese_not_found(app: object) -> None:
    """FLASK_APP_MUTATOR: a handler for code 404 takes precedence over Superset's handler of every
    HTTPException; it serves the Vietnamese page to a browser whose interface is Vietnamese and
    leaves everything else (the API's JSON errors, the English interface) to Superset."""
    from flask import Response, request
    from flask_babel import get_locale
    from werkzeug.exceptions import HTTPException, NotFound

    def not_found(error: NotFound) -> Response | tuple:
        wants_page = "text/html" in request.accept_mimetypes and not app.config["DEBUG"]
        if wants_page and str(get_locale() or "") == "vi":
            return Response(NOT_FOUND_PAGE_VI.read_text(encoding="utf-8"), status=404, mimetype="text/html")
        # Superset registers its handler after this hook runs: look it up when needed.
        return app.error_handler_spec[None][None][HTTPException](error)

    app.register_error_handler(404, not_found)


FLASK_APP_MUTATOR = _vietnamese_not_found
# Numbers and dates the Vietnamese way (17.600; 8,5; Tháng 5).
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
WTF_CSRF_ENABLED = True
GUEST_TOKEN_JWT_SECRET = _guest_token_secret()

# Security headers (Talisman) with a Content-Security-Policy the Superset front end works
# with: its own scripts by nonce ('strict-dynamic'), inline styles (its CSS-in-JS), images
# from data:/blob:, nothing from third parties (no map tiles, fonts or telemetry hosts).
# Cookies are Secure behind the TLS proxy; HTTPS is forced by the proxy, not here, so the
# proxy and the health checks can reach gunicorn in plain HTTP inside the network.
BEHIND_TLS_PROXY = _behind_tls()
ENABLE_PROXY_FIX = BEHIND_TLS_PROXY
PROXY_FIX_CONFIG = {"x_for": 1, "x_proto": 1, "x_host": 1, "x_port": 1, "x_prefix": 1}
SESSION_COOKIE_SECURE = BEHIND_TLS_PROXY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_SECURE = BEHIND_TLS_PROXY
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
        "frame-ancestors": ["'self'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": BEHIND_TLS_PROXY,
    "strict_transport_security": BEHIND_TLS_PROXY,
    "frame_options": "SAMEORIGIN",
}
TALISMAN_DEV_CONFIG = TALISMAN_CONFIG
FEATURE_FLAGS = {
    "DASHBOARD_RBAC": True,
    "EMBEDDED_SUPERSET": False,
    "ALERT_REPORTS": False,
}
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 10000
