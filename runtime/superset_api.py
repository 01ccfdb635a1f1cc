"""A small client of Superset's REST API: log in, list charts, fetch chart data."""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests

from ingest import settings
from runtime.env import superset_port


def base_url() -> str:
    return os.environ.get("SUPERSET_URL", f"http://127.0.0.1:{superset_port()}")


@dataclass
class SupersetClient:
    url: str
    session: requests.Session

    @classmethod
    def login(cls, username: str | None = None, password: str | None = None, url: str | None = None) -> SupersetClient:
        url = url or base_url()
        session = requests.Session()
        response = session.post(
            f"{url}/api/v1/security/login",
            json={
                "username": username or os.environ.get("SUPERSET_SERVICE_USER", "admin"),
                "password": password or settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"),
                "provider": "db",
                "refresh": True,
            },
            timeout=30,
        )
        response.raise_for_status()
        session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return cls(url, session)

    def charts(self) -> list[dict]:
        response = self.session.get(
            f"{self.url}/api/v1/chart/", params={"q": "(page_size:100,columns:!(id,slice_name))"}, timeout=30
        )
        response.raise_for_status()
        return response.json()["result"]

    def chart_data(self, chart_id: int, force: bool = False) -> dict:
        params = {"force": "true"} if force else {}
        response = self.session.get(f"{self.url}/api/v1/chart/{chart_id}/data/", params=params, timeout=120)
        response.raise_for_status()
        return response.json()


def warm_all_charts() -> int:
    """Recompute every chart's data (bypassing the cache) so leaders see new figures at once."""
    client = SupersetClient.login()
    charts = client.charts()
    for chart in charts:
        client.chart_data(chart["id"], force=True)
    return len(charts)
