"""Airflow's users and roles in production, from code; their passwords from the environment.

``python -m runtime.airflow_users`` (run by the compose file's ``airflow-init``) creates or
updates each user below in the FAB auth manager: the role is set from this file, the
password from the named environment variable. A user whose variable is empty is skipped
(the administrator is required). Passwords are never printed or logged: log lines name the
user, the role and the variable only.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

from core import settings

log = logging.getLogger("vanquan.airflow_users")


@dataclass(frozen=True)
class AirflowUser:
    username: str
    role: str  # a FAB role: Admin, Op, User, Viewer
    password_env: str
    first_name: str
    last_name: str
    email: str
    required: bool = False


USERS = (
    AirflowUser("admin", "Admin", "AIRFLOW_ADMIN_PASSWORD", "Quản trị", "Nền tảng", "admin@vanquan.example", True),
    AirflowUser("vanhanh", "Op", "AIRFLOW_OPERATOR_PASSWORD", "Vận hành", "Dữ liệu", "vanhanh@vanquan.example"),
    AirflowUser("lanhdao", "Viewer", "AIRFLOW_VIEWER_PASSWORD", "Lãnh đạo", "UBND huyện", "lanhdao@vanquan.example"),
    # Phòng Nội vụ approves the review packs in Airflow (a User may answer human-in-the-loop steps).
    AirflowUser("noivu", "User", "AIRFLOW_NOIVU_PASSWORD", "Phòng", "Nội vụ", "noivu@vanquan.example"),
)


class UserSetupError(RuntimeError):
    """A required password is missing or a role does not exist (names only, never values)."""


def password_of(user: AirflowUser) -> str | None:
    value = settings.named_secret(user.password_env)
    if value is None:
        if user.required:
            raise UserSetupError(f"{user.password_env} must be set (password of Airflow user {user.username})")
        return None
    if value.startswith(settings.DEMO_PREFIX) and not settings.is_demo():
        raise UserSetupError(f"{user.password_env} is a demo value outside demo mode")
    return value


def sync(security_manager: Any, users: tuple[AirflowUser, ...] = USERS) -> list[str]:
    """Create or update every user with a password; returns the usernames handled."""
    done = []
    for user in users:
        password = password_of(user)
        if password is None:
            log.info("Airflow user %s skipped: %s is not set", user.username, user.password_env)
            continue
        role = security_manager.find_role(user.role)
        if role is None:
            raise UserSetupError(f"role {user.role} does not exist in Airflow (user {user.username})")
        existing = security_manager.find_user(username=user.username)
        if existing is None:
            created = security_manager.add_user(
                user.username, user.first_name, user.last_name, user.email, role, password
            )
            if not created:
                raise UserSetupError(f"Airflow could not create user {user.username}")
            log.info("Airflow user %s created with role %s", user.username, user.role)
        else:
            existing.roles = [role]
            security_manager.update_user(existing)
            security_manager.reset_password(existing.id, password)
            log.info("Airflow user %s updated: role %s, password from %s", user.username, user.role, user.password_env)
        done.append(user.username)
    return done


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

    try:
        with get_application_builder() as appbuilder:
            sync(appbuilder.sm)
    except UserSetupError as exc:
        print(f"airflow users: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
