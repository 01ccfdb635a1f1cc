"""The one client of Superset's REST API (login, charts, dashboards, chart data, chart edits).

Needs only ``requests``, present in both environments: Superset's venv uses it (``service
warm``), the main venv too (the dashboards DAG, the benchmark, the tests, the export).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests


@dataclass
class SupersetClient:
    """A session logged in to one Superset (bearer token of the database auth provider)."""

    url: str
    session: requests.Session

    @classmethod
    def login(cls, username: str, password: str, url: str) -> SupersetClient:
        session = requests.Session()
        resp = session.post(
            f"{url}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
            timeout=30,
        )
        resp.raise_for_status()
        session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
        return cls(url, session)

    def _list(self, what: str) -> list[dict[str, Any]]:
        resp = self.session.get(f"{self.url}/api/v1/{what}/", params={"q": "(page_size:100)"}, timeout=60)
        resp.raise_for_status()
        return resp.json()["result"]

    def charts(self) -> list[dict[str, Any]]:
        return self._list("chart")

    def dashboards(self) -> list[dict[str, Any]]:
        return self._list("dashboard")

    def chart_data(self, chart_id: int, *, force: bool = False) -> dict[str, Any]:
        """The saved query context's result; no JSON content type on this GET (Superset gives 400)."""
        params = {"force": "true"} if force else {}
        resp = self.session.get(f"{self.url}/api/v1/chart/{chart_id}/data/", params=params, timeout=120)
        resp.raise_for_status()
        return resp.json()

    def csrf_token(self) -> str:
        resp = self.session.get(f"{self.url}/api/v1/security/csrf_token/", timeout=30)
        resp.raise_for_status()
        return resp.json()["result"]

    def update_chart(self, chart_id: int, changes: dict[str, Any]) -> None:
        """What saving in Explore does, for the fields given (e.g. ``slice_name``)."""
        resp = self.session.put(
            f"{self.url}/api/v1/chart/{chart_id}",
            json=changes,
            headers={"X-CSRFToken": self.csrf_token(), "Referer": self.url},
            timeout=60,
        )
        resp.raise_for_status()

    def warm_all_charts(self) -> int:
        """Recompute every chart's data (bypassing the cache) so leaders see new figures at once."""
        charts = self.charts()
        for chart in charts:
            self.chart_data(chart["id"], force=True)
        return len(charts)


def service_client() -> SupersetClient:
    """The platform's service account on the configured Superset: what the dashboards DAG uses.

    The URL is ``SUPERSET_URL`` or the loopback port ``SUPERSET_PORT`` (8088); the password is
    the admin secret (``admin`` only in demo mode).
    """
    from core import settings

    url = settings.superset_url()
    user = settings.superset_service_user()
    return SupersetClient.login(user, settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"), url)
