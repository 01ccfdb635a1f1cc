"""Reading reporting periods in every form the offices write them, resolved to one period code.

`2022`, `2022-Q2`, `Quý 2/2022`, `Q2/2022`, `2022-05`, `Tháng 5/2022`, `05/2022` and Excel
dates (a date means its month) become `2022`, `2022-Q2` or `2022-05` with grain and dates.
Only the parsing lives here; the periods themselves, their Vietnamese labels and due dates
are the reporting calendar's (``core.calendar``).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache

from core.calendar import MONTH, QUARTER, YEAR, Period, month, quarter, year
from ingest.text import fold

__all__ = ["MONTH", "QUARTER", "YEAR", "Period", "month", "parse", "parse_code", "quarter", "year"]

MIN_YEAR, MAX_YEAR = 1990, 2100

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Y = r"(?P<y>\d{4})"
_M = r"(?P<m>\d{1,2})"
_Q = r"(?P<q>[1-4]|i{1,3}|iv)"
# Matched against the folded text (no marks, lower case, punctuation turned to spaces).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (grain, re.compile(pattern))
    for grain, pattern in (
        (YEAR, rf"(?:nam )?{_Y}"),
        (QUARTER, rf"{_Y} q ?{_Q}"),
        (QUARTER, rf"(?:quy|q) ?{_Q} (?:nam )?{_Y}"),
        (MONTH, rf"{_Y} {_M}"),
        (MONTH, rf"(?:thang|t) ?{_M} (?:nam )?{_Y}"),
        (MONTH, rf"{_M} {_Y}"),
        (MONTH, rf"(?P<d>\d{{1,2}}) {_M} {_Y}"),
        (MONTH, rf"{_Y} {_M} (?P<d>\d{{1,2}})"),
    )
)


def _valid_year(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


@lru_cache(maxsize=8192, typed=True)  # a file repeats the same few dozen periods
def parse(value: object) -> Period | None:
    """The period a cell means, or None when it is not a period we can read."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return month(value.year, value.month) if _valid_year(value.year) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        return year(value) if _valid_year(value) else None
    if not isinstance(value, str) or len(value) > 40:
        return None
    return _parse_text(value)


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> Period | None:
    """A period written as text; cached, as a file repeats a few dozen of them on every row."""
    text = fold(value)
    for grain, pattern in _PATTERNS:
        found = pattern.fullmatch(text)
        if not found:
            continue
        y = int(found["y"])
        if not _valid_year(y):
            return None
        if grain == YEAR:
            return year(y)
        if grain == QUARTER:
            q = found["q"]
            return quarter(y, _ROMAN[q] if q in _ROMAN else int(q))
        m = int(found["m"])
        if not 1 <= m <= 12:
            return None
        if "d" in found.groupdict() and not 1 <= int(found["d"]) <= calendar.monthrange(y, m)[1]:
            return None
        return month(y, m)
    return None


def parse_code(code: str) -> Period | None:
    """A canonical period code back to its period (`2022-Q2` -> the second quarter)."""
    return parse(code)
