"""The reporting calendar: which figure each office owes, for which period, from which units, by when.

The one place its rules are stated. Everything else reads it: the reminders and the
templates call it, the sample generator plans its year with it, and dbt reads the seeds
it writes (``dbt/seeds/catalog/reporting_obligations.csv`` and
``reporting_obligation_units.csv``: ``python -m core.calendar`` or ``make calendar``;
a test fails when they differ from what this module computes).

Rules, from the catalog only (so a new plan year or a changed deadline needs no code):

* the plan year's periods at the indicator's ``frequency``, plus the previous year as one
  yearly baseline period for an indicator a target compares with the previous year
  (``needs_baseline``, numerator or denominator);
* due on ``due_day`` of the month ``due_month_offset`` months after the period's last
  month (that month's last day when it is shorter);
* a district-level indicator is owed for the district; a commune-level one by every unit
  valid on the period's last day within the scope of the plan year's targets using it
  (all of the town and the communes when no target uses it);
* a unit has reported a period when its figures cover it completely (``covers``): for a
  flow a figure of the period or of a coarser one containing it, or finer figures inside
  it for every month; for a stock a figure ending on the period's last day.

Periods read as people write them: "Tháng 5/2022", "Quý 2/2022", "Năm 2022", and a
year to date "6 tháng đầu năm 2022".
"""

from __future__ import annotations

import argparse
import calendar as _calendar
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import catalog as catalog_mod
from core.catalog import AdminUnit, Catalog, Indicator
from core.settings import CATALOG_DIR

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"
FREQUENCY_GRAIN = {"monthly": MONTH, "quarterly": QUARTER, "yearly": YEAR}

OBLIGATIONS_SEED = "reporting_obligations.csv"
OBLIGATION_UNITS_SEED = "reporting_obligation_units.csv"
OBLIGATIONS_COLUMNS = (
    "plan_year",
    "office_code",
    "indicator_code",
    "period_code",
    "period_grain",
    "period_start",
    "period_end",
    "period_label_vi",
    "is_baseline",
    "level",
    "aggregation",
    "due_date",
)
OBLIGATION_UNITS_COLUMNS = ("plan_year", "indicator_code", "period_code", "admin_unit_code")


def _last_day(y: int, m: int) -> date:
    return date(y, m, _calendar.monthrange(y, m)[1])


@dataclass(frozen=True)
class Period:
    """A reporting period: its code (``2022``, ``2022-Q2``, ``2022-05``), grain and days."""

    code: str
    grain: str  # year | quarter | month
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def first_month(self) -> int:
        return self.start.month

    @property
    def last_month(self) -> int:
        return self.end.month

    @property
    def label_vi(self) -> str:
        """At the start of a sentence or in a table cell: "Tháng 5/2022", "Quý 2/2022", "Năm 2022"."""
        return period_label_vi(self.code, capital=True)


def year(y: int) -> Period:
    return Period(f"{y}", YEAR, date(y, 1, 1), date(y, 12, 31))


def quarter(y: int, q: int) -> Period:
    return Period(f"{y}-Q{q}", QUARTER, date(y, 3 * q - 2, 1), _last_day(y, 3 * q))


def month(y: int, m: int) -> Period:
    return Period(f"{y}-{m:02d}", MONTH, date(y, m, 1), _last_day(y, m))


def periods(frequency: str, y: int) -> list[Period]:
    """The periods of year ``y`` at a reporting frequency (monthly, quarterly, yearly)."""
    if frequency == "monthly":
        return [month(y, m) for m in range(1, 13)]
    if frequency == "quarterly":
        return [quarter(y, q) for q in range(1, 5)]
    if frequency == "yearly":
        return [year(y)]
    raise ValueError(f"unknown reporting frequency {frequency!r}")


def period_of_code(code: str) -> Period | None:
    """A canonical code back to its period (``2022-Q2``), None for anything else."""
    if len(code) == 4 and code.isdigit():
        return year(int(code))
    if len(code) == 7 and code[:4].isdigit() and code[4:6] == "-Q" and code[6] in "1234":
        return quarter(int(code[:4]), int(code[6]))
    if len(code) == 7 and code[:4].isdigit() and code[4] == "-" and code[5:].isdigit() and 1 <= int(code[5:]) <= 12:
        return month(int(code[:4]), int(code[5:]))
    return None


def period_label_vi(code: str, capital: bool = False) -> str:
    """A period code as people write it inside a sentence: 'tháng 5/2022', 'quý 2/2022', 'năm 2022'.

    ``capital`` for the start of a label ('Tháng 5/2022'). Unknown text is returned as is,
    so a message never hides what the office wrote.
    """
    period = period_of_code(code)
    if period is None:
        return code
    if period.grain == MONTH:
        text = f"tháng {period.last_month}/{period.year}"
    elif period.grain == QUARTER:
        text = f"quý {period.last_month // 3}/{period.year}"
    else:
        text = f"năm {period.year}"
    return text[:1].upper() + text[1:] if capital else text


def year_to_date_label_vi(y: int, m: int, capital: bool = False) -> str:
    """The months from January to ``m`` as reports name them: '6 tháng đầu năm 2022', 'năm 2022'."""
    if m == 12:
        text = f"năm {y}"
    elif m == 1:
        text = f"tháng 1/{y}"
    else:
        text = f"{m} tháng đầu năm {y}"
    return text[:1].upper() + text[1:] if capital else text


def due_date(indicator: Indicator, period: Period) -> date:
    """Day ``due_day`` of the month ``due_month_offset`` months after the period's last month.

    A due day beyond the month's end (31 in a 30-day month) falls on its last day.
    """
    y, m0 = divmod(period.year * 12 + period.last_month - 1 + indicator.due_month_offset, 12)
    last = _last_day(y, m0 + 1)
    return last.replace(day=min(indicator.due_day, last.day))


def due_rule_vi(indicator: Indicator) -> str:
    """The due-date rule in words, e.g. 'ngày 20 tháng sau kỳ báo cáo'."""
    offset = indicator.due_month_offset
    when = {0: "cùng tháng kết thúc kỳ", 1: "tháng sau kỳ báo cáo"}.get(offset, f"{offset} tháng sau kỳ")
    return f"ngày {indicator.due_day} {when}"


@dataclass(frozen=True)
class Obligation:
    """One figure an office must send: an indicator for a period, from some units, by a due date."""

    plan_year: int
    office_code: str
    indicator_code: str
    period: Period
    due_date: date
    units: tuple[str, ...] = ()  # unit codes in scope, sorted
    is_baseline: bool = False
    level: str = "district"  # district | commune
    aggregation: str = "flow"  # flow | stock


@dataclass(frozen=True)
class Span:
    """The period of one received figure (first and last day)."""

    start: date
    end: date


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
    """The units owing ``indicator`` for a period ending on ``day`` (rule 7 of the spec)."""
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
            owed_periods.insert(0, (year(plan_year - 1), True))
        owed.extend(
            Obligation(
                plan_year,
                indicator.office_code,
                indicator.code,
                period,
                due_date(indicator, period),
                scope_units(catalog, indicator, plan_year, period.end),
                is_baseline,
                indicator.level,
                indicator.aggregation,
            )
            for period, is_baseline in owed_periods
        )
    return sorted(owed, key=lambda o: (o.office_code, o.due_date, o.indicator_code, o.period.code))


def all_obligations(catalog: Catalog) -> list[Obligation]:
    """The obligations of every plan year in the catalog."""
    return [o for plan_year in catalog.plan_years() for o in obligations(catalog, plan_year)]


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


def first_due_dates(catalog: Catalog, plan_year: int) -> dict[str, date]:
    """Per indicator, the day the first figure of the plan year itself (not the baseline) is due."""
    first: dict[str, date] = {}
    for o in obligations(catalog, plan_year):
        if not o.is_baseline:
            first[o.indicator_code] = min(o.due_date, first.get(o.indicator_code, o.due_date))
    return first


# --- the seeds dbt reads ------------------------------------------------------------------


def _csv(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def seed_texts(catalog: Catalog) -> dict[str, str]:
    """The two seed files' exact text (file name -> CSV), in a stable order."""
    owed = sorted(all_obligations(catalog), key=lambda o: (o.plan_year, o.indicator_code, o.period.start, o.period.end))
    obligation_rows = (
        (
            o.plan_year,
            o.office_code,
            o.indicator_code,
            o.period.code,
            o.period.grain,
            o.period.start.isoformat(),
            o.period.end.isoformat(),
            o.period.label_vi,
            "true" if o.is_baseline else "false",
            o.level,
            o.aggregation,
            o.due_date.isoformat(),
        )
        for o in owed
    )
    unit_rows = ((o.plan_year, o.indicator_code, o.period.code, unit) for o in owed for unit in o.units)
    return {
        OBLIGATIONS_SEED: _csv(OBLIGATIONS_COLUMNS, obligation_rows),
        OBLIGATION_UNITS_SEED: _csv(OBLIGATION_UNITS_COLUMNS, unit_rows),
    }


def write_seeds(catalog: Catalog | None = None, folder: Path | None = None) -> list[Path]:
    """Write the seeds into ``folder`` (default: the catalog's); return the files that changed."""
    folder = folder or CATALOG_DIR
    changed: list[Path] = []
    for name, text in seed_texts(catalog or catalog_mod.default()).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the reporting calendar's dbt seeds from the catalog.")
    parser.add_argument("--out", type=Path, default=None, help="folder (default: dbt/seeds/catalog)")
    args = parser.parse_args(argv)
    changed = write_seeds(folder=args.out)
    for path in changed:
        print(f"written {path}")
    if not changed:
        print("calendar seeds up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
