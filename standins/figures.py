"""The figures the stand-in systems serve: the same truth the sample office files carry.

Both come from ``sampledata`` with the demo seed, so a figure pulled from a system and the
same figure sent in a file agree, and the demo tells one story whichever arrives last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache

from core import catalog

YEARS = (2021, 2022)
MONTHS = [(y, m) for y in YEARS for m in range(1, 13)]
VN = timezone(timedelta(hours=7))
DEMO_SEED = 42


@cache
def _truth() -> dict[tuple[str, str, str], Decimal]:
    from sampledata.generate import truth

    return truth(catalog.default(), DEMO_SEED)


def _value(indicator: str, unit: str, year: int, month: int) -> Decimal:
    return _truth()[(indicator, unit, f"{year}-{month:02d}")]


def published_at(year: int, month: int) -> datetime:
    """When a month's figure entered the office system: the 10th of the next month, 09:00."""
    nxt = date(year + month // 12, month % 12 + 1, 10)
    return datetime(nxt.year, nxt.month, nxt.day, 9, 0, tzinfo=VN)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class CoverageRecord:
    unit_code: str
    unit_name: str
    year: int
    month: int
    population: int
    insured: int
    updated_at: datetime


def coverage() -> list[CoverageRecord]:
    """People insured and population per commune (and the town), month by month."""
    units = sorted(catalog.default().communes_on(date(2022, 1, 1)), key=lambda u: u.code)
    return [
        CoverageRecord(
            unit.code,
            unit.name_vi,
            y,
            m,
            int(_value("population", unit.code, y, m)),
            int(_value("people_health_insured", unit.code, y, m)),
            published_at(y, m),
        )
        for unit in units
        for y, m in MONTHS
    ]


@dataclass
class RevenueRecord:
    month_start: date
    amount_million_vnd: Decimal
    status: str  # chinh_thuc | uoc
    updated_at: datetime


def revenue() -> list[RevenueRecord]:
    return [
        RevenueRecord(date(y, m, 1), _value("budget_revenue", "VAN_QUAN", y, m), "chinh_thuc", published_at(y, m))
        for y, m in MONTHS
    ]


@dataclass
class VisitRecord:
    year: int
    month: int
    visits: int
    status: str  # official | estimate
    modified_at: datetime


def visits() -> list[VisitRecord]:
    return [
        VisitRecord(y, m, int(_value("tourist_visits", "VAN_QUAN", y, m)), "official", published_at(y, m))
        for y, m in MONTHS
    ]
