"""Import and export the asset bundle through Superset's own commands (in an app context).

The import uses the "assets" command (the one behind POST /api/v1/assets/import/), which
overwrites databases, datasets, charts and dashboards: unlike ``import-dashboards`` it
updates what exists, so running it again after editing the YAML is how changes ship.
"""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("vanquan.superset.assets")


def _contents(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml"))}


def _act_as(username: str) -> None:
    """Superset's commands check permissions against ``g.user``."""
    from flask import g

    from superset import security_manager as sm

    user = sm.find_user(username=username)
    if user is None:
        raise SystemExit(f"needs an existing admin user {username!r}")
    g.user = user


def import_bundle(root: Path, username: str) -> int:
    """Import every file under ``root`` as ``username`` (an Admin); returns the file count."""
    from superset.commands.importers.v1.assets import ImportAssetsCommand

    _act_as(username)
    contents = _contents(root)
    ImportAssetsCommand(contents).run()
    log.info("imported %d asset files from %s", len(contents), root)
    return len(contents)


def export_bundle(target: Path, username: str) -> int:
    """Write every asset Superset holds under ``target`` (the layout of an export zip)."""
    from superset.commands.export.assets import ExportAssetsCommand

    _act_as(username)

    count = 0
    for name, content in ExportAssetsCommand().run():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content(), encoding="utf-8")
        count += 1
    log.info("exported %d asset files to %s", count, target)
    return count
