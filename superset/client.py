"""A small client of Superset's REST API (login, list charts, chart data), over loopback.

The one REST client of the project: ``service.py warm`` uses it inside Superset's venv, and
``runtime/superset_api.py`` loads it in the main venv (the dashboards DAG, the benchmark,
the tests). It only needs ``requests``, present in both.
"""

from __future__ import annotations

from typing import Any

import requests


def login(base_url: str, username: str, password: str) -> requests.Session:
    """A session carrying the bearer token of ``username`` (database auth provider)."""
    session = requests.Session()
    resp = session.post(
        f"{base_url}/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", "refresh": False},
        timeout=30,
    )
    resp.raise_for_status()
    session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
    return session


def _list(session: requests.Session, url: str) -> list[dict[str, Any]]:
    resp = session.get(url, params={"q": "(page_size:100)"}, timeout=60)
    resp.raise_for_status()
    return resp.json()["result"]


def charts(session: requests.Session, base_url: str) -> list[dict[str, Any]]:
    return _list(session, f"{base_url}/api/v1/chart/")


def dashboards(session: requests.Session, base_url: str) -> list[dict[str, Any]]:
    return _list(session, f"{base_url}/api/v1/dashboard/")


def chart_data(session: requests.Session, base_url: str, chart_id: int, *, force: bool = False) -> dict[str, Any]:
    """The saved query context's result; no JSON content type on this GET (Superset gives 400)."""
    params = {"force": "true"} if force else {}
    resp = session.get(f"{base_url}/api/v1/chart/{chart_id}/data/", params=params, timeout=120)
    resp.raise_for_status()
    return resp.json()
