"""Named mapping functions for answers whose records do not fit plain field paths.

A declaration names one with ``mapping.function``; it turns one record of the answer into
zero or more flat records that the declared paths then read. Raise ``KeyError`` or
``TypeError`` on a record you cannot read: the pull stops as a changed shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Record = dict[str, Any]
MapperFn = Callable[[Record], list[Record]]
MAPPERS: dict[str, MapperFn] = {}


def mapper(name: str) -> Callable[[MapperFn], MapperFn]:
    def register(fn: MapperFn) -> MapperFn:
        MAPPERS[name] = fn
        return fn

    return register


@mapper("year_month_period")
def year_month_period(record: Record) -> list[Record]:
    """``{"month_of": {"year": 2022, "month": 5}, ...}`` -> the same record with ``period: "2022-05"``."""
    part = record["month_of"]
    year, month = part["year"], part["month"]
    if not isinstance(year, int) or not isinstance(month, int) or isinstance(year, bool):
        raise TypeError(f"month_of must hold integers, got {part!r}")
    return [{**record, "period": f"{year:04d}-{month:02d}"}]
