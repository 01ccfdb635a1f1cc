"""Roles, row-level security and users of the Văn Quan Superset, created from code.

Runs inside a Superset app context (see vq_superset/service.py). The model:

* ``Lãnh đạo`` (leadership): reads every dashboard and every row.
* ``Phòng ban`` (office staff): reads every dashboard; on the office-scoped datasets
  (reporting compliance, data quality) a *base* RLS filter hides every row unless the user
  also holds one office role ``Phòng ban - <office_code>``, whose *regular* RLS filter
  shows ``office_code = '<office_code>'`` only. A staff user therefore gets the two roles
  ``Phòng ban`` + ``Phòng ban - tckh``; forgetting the second shows nothing, never everything.
* ``Admin``: Superset's own administrator role.

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
OFFICE_SCOPED_TABLES = ("vq_tinh_hinh_nop_bao_cao", "vq_chat_luong_du_lieu")
DATASET_PREFIX = "vq_"
BASE_FILTER_NAME = "Phòng ban: ẩn dữ liệu khi chưa gán phòng"


def office_codes() -> list[str]:
    """Office codes from the catalog seed, the single source of truth."""
    with OFFICES_CSV.open(encoding="utf-8") as fh:
        return [row["office_code"] for row in csv.DictReader(fh)]


def office_role(code: str) -> str:
    return f"{OFFICE_ROLE_PREFIX}{code}"


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


def _ensure_rls(db: Any, name: str, filter_type: Any, tables: list[Any], roles: list[Any], clause: str) -> None:
    from superset.connectors.sqla.models import RowLevelSecurityFilter

    rls = db.session.query(RowLevelSecurityFilter).filter_by(name=name).one_or_none()
    if rls is None:
        rls = RowLevelSecurityFilter(name=name)
        db.session.add(rls)
    rls.filter_type = filter_type
    rls.tables = tables
    rls.roles = roles
    rls.clause = clause
    rls.group_key = "office"
    rls.description = "Tạo tự động từ vq_superset/access.py"


def sync_roles() -> dict[str, int]:
    """Create or update the roles and RLS filters; returns permission counts per role."""
    from superset.utils.core import RowLevelSecurityFilterType

    from superset import db
    from superset import security_manager as sm

    datasets = _our_datasets(db)
    perms = _viewer_permissions(sm, datasets)
    counts: dict[str, int] = {}
    for name in (LEADERSHIP, OFFICE_STAFF):
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
    unrestricted = [sm.find_role(LEADERSHIP), sm.find_role(ADMIN), *office_roles]
    _ensure_rls(db, BASE_FILTER_NAME, RowLevelSecurityFilterType.BASE, scoped, [r for r in unrestricted if r], "1 = 0")
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
