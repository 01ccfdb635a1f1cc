"""The dashboards, one spec module each: a module here that defines ``DASHBOARD`` is a dashboard.

Adding a dashboard is adding a module (e.g. ``emulation.py``) with a ``DASHBOARD`` built from
``vq_superset.model`` and the datasets of ``vq_superset.datasets``; the generator finds it.
Modules whose name starts with ``_`` hold shared pieces and are not dashboards.
"""

from __future__ import annotations

import importlib
import pkgutil

from vq_superset.model import Dashboard


def discover() -> tuple[Dashboard, ...]:
    """Every dashboard spec of this package, in module-name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        dashboard = getattr(module, "DASHBOARD", None)
        if not isinstance(dashboard, Dashboard):
            raise TypeError(f"{module.__name__} defines no DASHBOARD")
        found.append(dashboard)
    return tuple(found)
