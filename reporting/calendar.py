"""The reporting calendar: which figures each office owes for a plan year, when, and from which units.

Derived from the catalog only (``frequency``, ``due_day``, ``due_month_offset`` and
``level`` of each indicator, the targets' ``unit_scope`` and ``needs_baseline``), so a new
plan year or a changed deadline needs no code change.

The same rules as ``dbt/models/intermediate/int_reporting_obligations.sql`` (the
compliance dashboard's calendar); ``tests/reporting/test_obligations_warehouse.py`` keeps
the two equal on a loaded year:

* the plan year's periods at the indicator's frequency, plus the previous year as one
  yearly baseline period for an indicator a target compares with the previous year;
* a district-level indicator is owed for the district, a commune-level one by every unit
  valid on the period's last day within the scope of the targets using it;
* a unit has reported a period when its figures cover it completely (``covers``): for a
  flow a figure of the period or of a coarser one containing it, or finer figures inside
  it for every month (a baseline year sent by month or by quarter counts); for a stock a
  figure ending on the period's last day.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.catalog import AdminUnit, Catalog, Indicator


@dataclass(frozen=True)
class Period:
    """A reporting period as the offices write it (``2022``, ``2022-Q2``, ``2022-05``)."""

    code: str
    grain: str  # year | quarter | month
    year: int
    last_month: int  # 1..12, the month the period ends in

    @property
    def first_month(self) -> int:
        return {"month": self.last_month, "quarter": self.last_month - 2}.get(self.grain, 1)

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month, _calendar.monthrange(self.year, self.last_month)[1])

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
    """One figure an office must send: an indicator for a period, from some units, by a due date."""

    office_code: str
    indicator_code: str
    period: Period
    due_date: date
    units: tuple[str, ...] = ()  # unit codes in scope, sorted
    is_baseline: bool = False
    aggregation: str = "flow"  # flow | stock


@dataclass(frozen=True)
class Span:
    """The period of one received figure (first and last day)."""

    start: date
    end: date


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


def scope_units(catalog: Catalog, indicator: Indicator, plan_year: int, day: date) -> tuple[str, ...]:
    """The units owing ``indicator`` for a period ending on ``day``.

    The district for a district-level indicator; for a commune-level one, the units valid
    on ``day`` within the scope of the plan year's targets using it (all of the town and
    the communes when no target uses it).
    """
    if indicator.level != "commune":
        return (catalog.district().code,)
    scopes = {
        t.unit_scope for t in catalog.targets_for(plan_year) if indicator.code in (t.indicator_code, t.denominator_code)
    }
    units: list[AdminUnit] = catalog.communes_on(day)
    if scopes and "all" not in scopes:
        units = [u for u in units if u.unit_type in scopes]
    return tuple(sorted(u.code for u in units))


def obligations(catalog: Catalog, plan_year: int) -> list[Obligation]:
    """Everything owed for ``plan_year``: its periods, plus the yearly baseline of the year before."""
    owed: list[Obligation] = []
    baseline = baseline_indicators(catalog, plan_year)
    for indicator in catalog.indicators.values():
        owed_periods = [(p, False) for p in periods(indicator.frequency, plan_year)]
        if indicator.code in baseline:
            owed_periods = [(p, True) for p in periods("yearly", plan_year - 1)] + owed_periods
        owed.extend(
            Obligation(
                indicator.office_code,
                indicator.code,
                period,
                due_date(indicator, period),
                scope_units(catalog, indicator, plan_year, period.end),
                is_baseline,
                indicator.aggregation,
            )
            for period, is_baseline in owed_periods
        )
    return sorted(owed, key=lambda o: (o.office_code, o.due_date, o.indicator_code, o.period.code))


def covers(obligation: Obligation, spans: Iterable[Span]) -> bool:
    """Whether one unit's figures (their periods) cover the obligation's period completely."""
    start, end = obligation.period.start, obligation.period.end
    spans = list(spans)
    if obligation.aggregation == "stock":
        return any(s.end == end and s.start.year == end.year for s in spans)
    if any(s.start <= start and s.end >= end for s in spans):
        return True
    inside = [s for s in spans if s.start >= start and s.end <= end]
    months = range(obligation.period.first_month, obligation.period.last_month + 1)
    return all(any(s.start <= date(obligation.period.year, m, 1) <= s.end for s in inside) for m in months)


def units_reported(obligation: Obligation, figures: dict[tuple[str, str], list[Span]]) -> tuple[str, ...]:
    """The units in scope whose figures cover the period (``figures``: (indicator, unit) -> spans)."""
    return tuple(u for u in obligation.units if covers(obligation, figures.get((obligation.indicator_code, u), ())))
