"""Superset's REST API from the main environment: log in, list charts, fetch chart data.

The HTTP calls live once, in ``superset/client.py``, which Superset's own venv also uses
(``service.py warm``). ``superset/`` cannot be a Python package (it would shadow the real
``superset`` there), so that module is loaded here from its path.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from functools import cache
from types import ModuleType

import requests

from core import settings
from runtime.env import superset_port

CLIENT_PATH = settings.REPO_ROOT / "superset" / "client.py"


@cache
def rest() -> ModuleType:
    """``superset/client.py``, loaded once."""
    spec = importlib.util.spec_from_file_location("vanquan_superset_client", CLIENT_PATH)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {CLIENT_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base_url() -> str:
    return os.environ.get("SUPERSET_URL", f"http://127.0.0.1:{superset_port()}")


@dataclass
class SupersetClient:
    """A logged-in session and the server it talks to."""

    url: str
    session: requests.Session

    @classmethod
    def login(cls, username: str | None = None, password: str | None = None, url: str | None = None) -> SupersetClient:
        url = url or base_url()
        session = rest().login(
            url,
            username or os.environ.get("SUPERSET_SERVICE_USER", "admin"),
            password or settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"),
        )
        return cls(url, session)

    def charts(self) -> list[dict]:
        return rest().charts(self.session, self.url)

    def dashboards(self) -> list[dict]:
        return rest().dashboards(self.session, self.url)

    def chart_data(self, chart_id: int, force: bool = False) -> dict:
        return rest().chart_data(self.session, self.url, chart_id, force=force)


def warm_all_charts() -> int:
    """Recompute every chart's data (bypassing the cache) so leaders see new figures at once."""
    client = SupersetClient.login()
    charts = client.charts()
    for chart in charts:
        client.chart_data(chart["id"], force=True)
    return len(charts)
