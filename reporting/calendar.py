"""The reporting calendar: which figures each office owes for a plan year, and when.

Derived from the catalog only (``frequency``, ``due_day``, ``due_month_offset`` of each
indicator), so a new plan year or a changed deadline needs no code change.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from ingest.catalog import Catalog, Indicator


@dataclass(frozen=True)
class Period:
    """A reporting period as the offices write it (``2022``, ``2022-Q2``, ``2022-05``)."""

    code: str
    grain: str  # year | quarter | month
    year: int
    last_month: int  # 1..12, the month the period ends in

    @property
    def label_vi(self) -> str:
        """How the period reads in Vietnamese (``Tháng 5/2022``, ``Quý 2/2022``, ``Năm 2022``)."""
        if self.grain == "month":
            return f"Tháng {self.last_month}/{self.year}"
        if self.grain == "quarter":
            return f"Quý {self.last_month // 3}/{self.year}"
        return f"Năm {self.year}"


@dataclass(frozen=True)
class Obligation:
    """One figure an office must send: an indicator for a period, by a due date."""

    office_code: str
    indicator_code: str
    period: Period
    due_date: date


def periods(frequency: str, year: int) -> list[Period]:
    """The periods of ``year`` at the indicator's reporting frequency."""
    if frequency == "monthly":
        return [Period(f"{year}-{m:02d}", "month", year, m) for m in range(1, 13)]
    if frequency == "quarterly":
        return [Period(f"{year}-Q{q}", "quarter", year, 3 * q) for q in range(1, 5)]
    if frequency == "yearly":
        return [Period(str(year), "year", year, 12)]
    raise ValueError(f"unknown reporting frequency {frequency!r}")


def due_date(indicator: Indicator, period: Period) -> date:
    """Day ``due_day`` of the month ``due_month_offset`` months after the period's last month.

    A due day beyond the month's end (31 in a 30-day month) falls on its last day.
    """
    months = period.year * 12 + (period.last_month - 1) + indicator.due_month_offset
    year, month = divmod(months, 12)
    month += 1
    last_day = _calendar.monthrange(year, month)[1]
    return date(year, month, min(indicator.due_day, last_day))


def baseline_indicators(catalog: Catalog, plan_year: int) -> set[str]:
    """Indicators whose previous-year figure a target of ``plan_year`` compares with."""
    codes: set[str] = set()
    for target in catalog.targets_for(plan_year):
        if target.needs_baseline:
            codes.add(target.indicator_code)
            if target.denominator_code:
                codes.add(target.denominator_code)
    return codes


def obligations(catalog: Catalog, plan_year: int) -> list[Obligation]:
    """Everything owed for ``plan_year``: its periods, plus the yearly baseline of the year before."""
    owed: list[Obligation] = []
    baseline = baseline_indicators(catalog, plan_year)
    for indicator in catalog.indicators.values():
        owed_periods = periods(indicator.frequency, plan_year)
        if indicator.code in baseline:
            owed_periods = [*periods("yearly", plan_year - 1), *owed_periods]
        owed.extend(
            Obligation(indicator.office_code, indicator.code, period, due_date(indicator, period))
            for period in owed_periods
        )
    return sorted(owed, key=lambda o: (o.office_code, o.due_date, o.indicator_code, o.period.code))
