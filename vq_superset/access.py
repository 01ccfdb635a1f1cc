"""Roles, row-level security and users of the Văn Quan Superset, created from code.

Runs inside a Superset app context (see vq_superset/service.py). The model:

* ``Lãnh đạo`` (leadership): reads every dashboard and every row.
* ``Phòng ban`` (office staff): reads every dashboard; on the office-scoped datasets
  (reporting compliance, data quality) a *base* RLS filter hides every row unless the user
  also holds one office role ``Phòng ban - <office_code>``, whose *regular* RLS filter
  shows ``office_code = '<office_code>'`` only. A staff user therefore gets the two roles
  ``Phòng ban`` + ``Phòng ban - tckh``; forgetting the second shows nothing, never everything.
* ``Phòng Nội vụ`` (Home Affairs Office, standing office of the Emulation and Reward
  Council): reads every dashboard and every row, like the leaders; its users hold this role
  only (an office role beside it would narrow the emulation rows to its own office).
* Emulation: an office sees its own registrations and proposals (the office-scoped filters
  above cover those datasets too); the cluster ranking is shared, as the district's ranking is.
  Names and positions of individuals live only in ``vq_thi_dua_ca_nhan``, whose *base* filter
  hides every row from everyone but ``Lãnh đạo``, ``Phòng Nội vụ`` and ``Admin``.
* ``Admin``: Superset's own administrator role.
* Warm-up users ``vq_warm_<office_code>`` (``Phòng ban`` + that office role) let the cache
  warm-up fill each office's entries: Superset keys cached chart data by the RLS clauses.

Nothing is granted to ``Public``. Re-running is safe: roles, grants and filters are
brought to this shape, never duplicated.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("vanquan.superset.access")

LEADERSHIP = "Lãnh đạo"
OFFICE_STAFF = "Phòng ban"
ADMIN = "Admin"
OFFICE_ROLE_PREFIX = "Phòng ban - "
OFFICES_CSV = Path(__file__).resolve().parent.parent / "dbt" / "seeds" / "catalog" / "offices.csv"
NOI_VU = "Phòng Nội vụ"
OFFICE_SCOPED_TABLES = ("vq_tinh_hinh_nop_bao_cao", "vq_chat_luong_du_lieu", "vq_thi_dua_dang_ky", "vq_thi_dua_de_nghi")
PERSONAL_TABLES = ("vq_thi_dua_ca_nhan",)
DATASET_PREFIX = "vq_"
BASE_FILTER_NAME = "Phòng ban: ẩn dữ liệu khi chưa gán phòng"
PERSONAL_FILTER_NAME = "Cá nhân: họ tên, chức vụ chỉ Phòng Nội vụ và lãnh đạo"
WARM_USER_PREFIX = "vq_warm_"


def office_codes() -> list[str]:
    """Office codes from the catalog seed, the single source of truth."""
    with OFFICES_CSV.open(encoding="utf-8") as fh:
        return [row["office_code"] for row in csv.DictReader(fh)]


def office_role(code: str) -> str:
    return f"{OFFICE_ROLE_PREFIX}{code}"


def warm_users() -> dict[str, list[str]]:
    """One warm-up user per role that has row-level security (each office role), with its roles.

    Cached chart data is keyed by the RLS clauses that apply, so an office's entries are
    filled only by a user who holds that office's role.
    """
    return {f"{WARM_USER_PREFIX}{code}": [OFFICE_STAFF, office_role(code)] for code in office_codes()}


def _ensure_role(sm: Any, name: str) -> Any:
    return sm.find_role(name) or sm.add_role(name)


def _our_datasets(db: Any) -> list[Any]:
    from superset.connectors.sqla.models import SqlaTable

    return db.session.query(SqlaTable).filter(SqlaTable.table_name.like(f"{DATASET_PREFIX}%")).all()


def _viewer_permissions(sm: Any, datasets: list[Any]) -> list[Any]:
    """Gamma's read permissions plus access to our datasets: read dashboards, no SQL Lab."""
    gamma = sm.find_role("Gamma")
    perms = list(gamma.permissions) if gamma else []
    for dataset in datasets:
        pv = sm.find_permission_view_menu("datasource_access", dataset.perm)
        if pv is None:
            pv = sm.add_permission_view_menu("datasource_access", dataset.perm)
        perms.append(pv)
    return perms


def _ensure_rls(
    db: Any, name: str, filter_type: Any, tables: list[Any], roles: list[Any], clause: str, group_key: str = "office"
) -> None:
    from superset.connectors.sqla.models import RowLevelSecurityFilter

    rls = db.session.query(RowLevelSecurityFilter).filter_by(name=name).one_or_none()
    if rls is None:
        rls = RowLevelSecurityFilter(name=name)
        db.session.add(rls)
    rls.filter_type = filter_type
    rls.tables = tables
    rls.roles = roles
    rls.clause = clause
    # filters of one group key are OR-ed: the personal filter has its own, so an office's
    # clause can never open the people rows
    rls.group_key = group_key
    rls.description = "Tạo tự động từ vq_superset/access.py"


def sync_roles() -> dict[str, int]:
    """Create or update the roles and RLS filters; returns permission counts per role."""
    from superset.utils.core import RowLevelSecurityFilterType

    from superset import db
    from superset import security_manager as sm

    datasets = _our_datasets(db)
    perms = _viewer_permissions(sm, datasets)
    counts: dict[str, int] = {}
    for name in (LEADERSHIP, NOI_VU, OFFICE_STAFF):
        role = _ensure_role(sm, name)
        role.permissions = list(dict.fromkeys(perms))
        counts[name] = len(role.permissions)
    scoped = [d for d in datasets if d.table_name in OFFICE_SCOPED_TABLES]
    office_roles = []
    for code in office_codes():
        role = _ensure_role(sm, office_role(code))
        role.permissions = []
        office_roles.append(role)
        _ensure_rls(
            db,
            f"Phòng ban: chỉ dữ liệu của {code}",
            RowLevelSecurityFilterType.REGULAR,
            scoped,
            [role],
            f"office_code = '{code}'",
        )
    everything = [r for r in (sm.find_role(LEADERSHIP), sm.find_role(NOI_VU), sm.find_role(ADMIN)) if r]
    _ensure_rls(db, BASE_FILTER_NAME, RowLevelSecurityFilterType.BASE, scoped, [*everything, *office_roles], "1 = 0")
    personal = [d for d in datasets if d.table_name in PERSONAL_TABLES]
    _ensure_rls(
        db, PERSONAL_FILTER_NAME, RowLevelSecurityFilterType.BASE, personal, everything, "1 = 0", group_key="personal"
    )
    db.session.commit()
    log.info("roles synced: %s; %d office roles; %d scoped datasets", counts, len(office_roles), len(scoped))
    return counts


def ensure_user(username: str, password: str, roles: list[str], email: str | None = None) -> None:
    """Create the user, or reset its password and roles (idempotent)."""
    from superset import db
    from superset import security_manager as sm

    found = [sm.find_role(r) for r in roles]
    missing = [r for r, role in zip(roles, found, strict=True) if role is None]
    if missing:
        raise SystemExit(f"unknown roles: {missing}")
    user = sm.find_user(username=username)
    if user is None:
        sm.add_user(username, username, "Văn Quan", email or f"{username}@vanquan.example", found, password=password)
    else:
        user.roles = found
        sm.reset_password(user.id, password)
    db.session.commit()
