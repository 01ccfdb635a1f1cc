"""Fill Superset's chart cache after the marts change, for every role that has row-level security.

Superset keys cached chart data by the RLS clauses that apply to the user who asks. Warming
as the admin fills the entries that leaders and Phòng Nội vụ read (no clause applies to
them), but an office's entries of its office-scoped charts have their own key: without a
warm-up as that office, its staff would meet yesterday's figures (or a slow first load)
where a leader meets today's. So after the admin's pass, each office role's warm-up user
(``access.warm_users``, created by ``vq_superset.service init``/``import``) asks again for
the charts whose datasets carry RLS filters; the other charts share the admin's entries.

REST only (``requests``): runs in the Superset venv (``service warm``) and in Airflow's
(the dashboards DAG).
"""

from __future__ import annotations

import logging

from core import settings
from vq_superset import access
from vq_superset.client import SupersetClient

log = logging.getLogger("vanquan.superset.warmup")

WARM_PASSWORD_VARIABLE = "SUPERSET_WARM_PASSWORD"  # noqa: S105 (the variable's name)
DEMO_WARM_PASSWORD = "demo-superset-warm"  # noqa: S105 (demo mode only)
RLS_TABLES = frozenset((*access.OFFICE_SCOPED_TABLES, *access.PERSONAL_TABLES))


def warm_password() -> str | None:
    """The warm-up users' password (``SUPERSET_WARM_PASSWORD``; a demo value only in demo mode).

    None outside demo mode when unset; a demo value outside demo mode is refused.
    """
    if not settings.is_demo() and settings.named_secret(WARM_PASSWORD_VARIABLE) is None:
        return None
    return settings.secret(WARM_PASSWORD_VARIABLE, DEMO_WARM_PASSWORD)


def _force(client: SupersetClient, charts: list[dict]) -> int:
    for chart in charts:
        client.chart_data(chart["id"], force=True)
    return len(charts)


def rls_charts(charts: list[dict]) -> list[dict]:
    """The charts whose dataset has row-level security filters (their cache key differs per role)."""
    return [c for c in charts if (c.get("table") or {}).get("table_name") in RLS_TABLES]


def warm_every_role(url: str, admin_user: str, admin_password: str, password: str) -> dict[str, int]:
    """Force every chart as the admin, then each RLS-scoped chart as each office's warm-up user.

    Returns how many charts each user warmed.
    """
    admin = SupersetClient.login(admin_user, admin_password, url)
    warmed = {admin_user: _force(admin, admin.charts())}
    for username in access.warm_users():
        client = SupersetClient.login(username, password, url)
        warmed[username] = _force(client, rls_charts(client.charts()))
    log.info("warmed %s", warmed)
    return warmed


def warm_from_settings() -> dict[str, int]:
    """What the dashboards DAG runs: the configured Superset, the service user, both secrets."""
    password = warm_password()
    if password is None:
        raise settings.SettingsError(f"{WARM_PASSWORD_VARIABLE} must be set: the offices' charts are warmed with it")
    return warm_every_role(
        settings.superset_url(),
        settings.superset_service_user(),
        settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"),
        password,
    )
