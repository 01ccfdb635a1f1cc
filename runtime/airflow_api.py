"""A small client of Airflow 3's REST API (token from the simple auth manager)."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from runtime.env import airflow_port


@dataclass
class AirflowClient:
    url: str
    session: requests.Session

    @classmethod
    def login(cls, username: str, password: str, url: str | None = None) -> AirflowClient:
        url = url or f"http://127.0.0.1:{airflow_port()}"
        response = requests.post(f"{url}/auth/token", json={"username": username, "password": password}, timeout=30)
        response.raise_for_status()
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        return cls(url, session)

    def dag_runs(self, dag_id: str, limit: int = 20) -> list[dict]:
        response = self.session.get(
            f"{self.url}/api/v2/dags/{dag_id}/dagRuns", params={"order_by": "-run_after", "limit": limit}, timeout=30
        )
        response.raise_for_status()
        return response.json()["dag_runs"]

    def import_errors(self) -> list[dict]:
        response = self.session.get(f"{self.url}/api/v2/importErrors", timeout=30)
        response.raise_for_status()
        return response.json()["import_errors"]
