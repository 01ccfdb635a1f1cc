"""Deterministic sample figures for 2021 and 2022, at realistic magnitudes.

Văn Quan has about 58,000 people, about 98% of them insured in 2022; the budget revenue
target is 19,000 million VND a year and the tourism target 5,000 visits a year.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from ingest import catalog

YEARS = (2021, 2022)
MONTHS = [(y, m) for y in YEARS for m in range(1, 13)]
VN = timezone(timedelta(hours=7))
DISTRICT_POPULATION = 58_000

# Shares of the year's revenue and visitors by month (Tết and the spring festivals).
_REVENUE_SHAPE = (7, 6, 8, 8, 8, 8, 8, 8, 8, 9, 10, 12)
_VISIT_SHAPE = (9, 16, 11, 7, 6, 7, 8, 8, 6, 7, 6, 9)
REVENUE_YEAR = {2021: Decimal("17850.0"), 2022: Decimal("19640.0")}
VISITS_YEAR = {2021: 3120, 2022: 5380}


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
    weights = {u.code: 0.6 + random.Random(zlib.crc32(u.code.encode())).random() for u in units}  # noqa: S311
    total = sum(weights.values())
    out: list[CoverageRecord] = []
    for unit in units:
        rng = random.Random(zlib.crc32(unit.code.encode()) + 1)  # noqa: S311
        base = DISTRICT_POPULATION * weights[unit.code] / total / 1.012
        for index, (y, m) in enumerate(MONTHS):
            population = round(base * (1 + 0.0005 * index))
            rate = 0.962 + 0.0009 * index + rng.uniform(-0.002, 0.002)
            insured = min(population, round(population * rate))
            name = unit.name_vi
            out.append(CoverageRecord(unit.code, name, y, m, population, insured, published_at(y, m)))
    return out


def monthly_split(total: Decimal | int, shape: tuple[int, ...], seed: int) -> list[Decimal]:
    """A yearly total spread over the months, with a little noise, summing exactly."""
    rng = random.Random(seed)  # noqa: S311
    weights = [s * (1 + rng.uniform(-0.08, 0.08)) for s in shape]
    scale = sum(weights)
    parts = [(Decimal(str(total)) * Decimal(str(w / scale))).quantize(Decimal("0.1")) for w in weights]
    parts[-1] += Decimal(str(total)) - sum(parts)
    return parts


@dataclass
class RevenueRecord:
    month_start: date
    amount_million_vnd: Decimal
    status: str  # chinh_thuc | uoc
    updated_at: datetime


def revenue() -> list[RevenueRecord]:
    out = []
    for y in YEARS:
        for m, amount in enumerate(monthly_split(REVENUE_YEAR[y], _REVENUE_SHAPE, y), start=1):
            out.append(RevenueRecord(date(y, m, 1), amount, "chinh_thuc", published_at(y, m)))
    return out


@dataclass
class VisitRecord:
    year: int
    month: int
    visits: int
    status: str  # official | estimate
    modified_at: datetime


def visits() -> list[VisitRecord]:
    out = []
    for y in YEARS:
        parts = monthly_split(VISITS_YEAR[y], _VISIT_SHAPE, 100 + y)
        counts = [int(p) for p in parts]
        counts[-1] += VISITS_YEAR[y] - sum(counts)
        for m, count in enumerate(counts, start=1):
            out.append(VisitRecord(y, m, count, "official", published_at(y, m)))
    return out
