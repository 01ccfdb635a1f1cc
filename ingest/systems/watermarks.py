"""Change times as typed instants: parse, compare, store and send them the same way everywhere.

A source's change stamps arrive as ``datetime`` (a database column), ``date`` or text (an
API). They are compared as instants, never as strings: ``31/12/2021`` (day first, the
Vietnamese way) is the last day of 2021, not a string that sorts after every ISO date. A
stamp without an offset is read in the source's declared time zone (``Asia/Ho_Chi_Minh``
unless declared otherwise). Stored and sent watermarks are UTC ISO 8601 with ``Z``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")


class BadStamp(ValueError):
    """A value that is not a change time."""


def parse(value: Any, timezone: str = DEFAULT_TIMEZONE) -> datetime:
    """An aware UTC instant of ``value``; raises ``BadStamp`` when it is not a time."""
    zone = ZoneInfo(timezone)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        found = _DAY_FIRST.match(text)
        if found:
            day, month, year, hour, minute, second = found.groups()
            try:
                moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            except ValueError as exc:
                raise BadStamp(f"{value!r} is not a date") from exc
        else:
            try:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            except ValueError as exc:
                raise BadStamp(f"{value!r} is not an ISO 8601 or dd/mm/yyyy time") from exc
    else:
        raise BadStamp(f"{value!r} ({type(value).__name__}) is not a time")
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def text(moment: datetime) -> str:
    """How a watermark is stored and sent: UTC, ISO 8601, ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def lower_bound(mark: datetime, overlap_seconds: float) -> datetime:
    """What to ask the source for: the mark minus the overlap window (late commits)."""
    return mark - timedelta(seconds=overlap_seconds)
