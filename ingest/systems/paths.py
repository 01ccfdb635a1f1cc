"""Dotted paths into JSON records (``commune.name``, ``items.0.value``)."""

from __future__ import annotations

from typing import Any

MISSING = object()


def get(record: Any, path: str) -> Any:
    """The value at ``path``, or ``MISSING`` when any step is absent."""
    current = record
    for step in path.split("."):
        if isinstance(current, dict):
            if step not in current:
                return MISSING
            current = current[step]
        elif isinstance(current, list) and step.isdigit():
            index = int(step)
            if index >= len(current):
                return MISSING
            current = current[index]
        else:
            return MISSING
    return current
