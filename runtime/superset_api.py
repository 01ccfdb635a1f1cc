"""Superset's REST API for the demo launcher, the benchmark and the tests: the one client of
``vq_superset.client`` with this machine's defaults (loopback port, service user, demo secret)."""

from __future__ import annotations

from core import settings
from vq_superset import client


def base_url() -> str:
    return settings.superset_url()


class SupersetClient(client.SupersetClient):
    """``vq_superset.client.SupersetClient`` whose login fills in what is not given."""

    @classmethod
    def login(cls, username: str | None = None, password: str | None = None, url: str | None = None) -> SupersetClient:
        logged_in = client.SupersetClient.login(
            username or settings.superset_service_user(),
            password or settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"),
            url or base_url(),
        )
        return cls(logged_in.url, logged_in.session)


def warm_all_charts() -> int:
    """Recompute every chart's data (bypassing the cache) so leaders see new figures at once."""
    return SupersetClient.login().warm_all_charts()
