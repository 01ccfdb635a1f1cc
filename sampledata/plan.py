"""Which files each office submits, when, and which figures each one carries.

Offices report once per month (if any of their indicators is monthly) or per quarter. Some
offices first send an estimate (``ước``) for the period and the actual figure with the next
report; the year's last actuals come in a closing file. One police report and one labour
report are corrected by a later file, one environment report never arrives, and one
education report comes late: the dashboards need all of that to have something to show.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core import calendar
from core.catalog import Catalog, Indicator
from sampledata.truth import Values

# Indicators whose offices send an estimate first (value, then the actual a period later).
ESTIMATED = ("budget_revenue", "gross_output_value", "tourist_visits", "sown_area", "star_anise_output")
# How each office writes its files: layout, format, number style, header language, period style, unit style.
STYLE = {
    "tckh": ("template", "xlsx", "numeric", "vi", "code", "name"),
    "nnptnt": ("template", "xlsx", "numeric", "vi", "code", "name"),
    "ldtbxh": ("template", "xlsx", "numeric", "vi", "code", "name"),
    "gddt": ("template", "xlsx", "numeric", "vi", "code", "name"),
    "vhtt": ("long", "xlsx", "numeric", "vi", "code", "name"),
    "congan": ("long", "xlsx", "numeric", "vi", "words", "name"),
    "kiemlam": ("long", "xlsx", "vi", "vi", "words", "prefixed"),
    "yte": ("long", "csv", "vi", "vi", "words", "prefixed"),
    "tnmt": ("long", "csv", "vi", "vi", "code", "prefixed"),
    "ktht": ("long", "csv", "intl", "en", "code", "name"),
    "bhxh": ("long", "csv", "intl", "en", "code", "name"),
}
SKIPPED = {("tnmt", "2022-Q4")}  # a report that never arrives
LATE_DAYS = {("gddt", "2022-Q3"): 13}  # sent this many days after the due date
CORRECTIONS = {  # (office, period): (indicator, wrong value added to the truth, unit index)
    ("congan", "2022-03"): ("traffic_injuries", Decimal(3), 0),
    ("ldtbxh", "2022-Q2"): ("households_poor", Decimal(40), 5),
}


@dataclass(frozen=True)
class Row:
    indicator: str
    unit: str
    period: str
    value: Decimal
    value_type: str  # actual | estimate
    note: str = ""


@dataclass
class Submission:
    office: str
    stem: str  # file name without the extension
    submitted_at: datetime
    purpose: str  # baseline | regular | final | correction
    rows: list[Row] = field(default_factory=list)
    style: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        return self.style[1]


def _estimate(value: Decimal, rng: random.Random) -> Decimal:
    """An estimate a few per cent off the figure that comes later."""
    places = Decimal(1) if value == value.to_integral_value() else Decimal("0.1")
    return (value * Decimal(str(1 + rng.uniform(-0.06, 0.06)))).quantize(places, ROUND_HALF_UP)


def _rows_of(values: Values, indicators: list[Indicator], periods: set[str], value_type: str = "actual") -> list[Row]:
    codes = {i.code for i in indicators}
    return [Row(i, u, p, v, value_type) for (i, u, p), v in values.items() if i in codes and p in periods]


def _cadence(indicators: list[Indicator]) -> str:
    return "monthly" if any(i.frequency == "monthly" for i in indicators) else "quarterly"


def _periods_ending(indicator: Indicator, year: int, last_day: date) -> set[str]:
    return {p.code for p in calendar.periods(indicator.frequency, year) if p.end == last_day}


def _previous(indicator: Indicator, year: int, last_day: date) -> set[str]:
    """The indicator's period just before the one ending on ``last_day`` (same year only)."""
    for before, period in itertools.pairwise(calendar.periods(indicator.frequency, year)):
        if period.end == last_day:
            return {before.code}
    return set()


def plan_office(
    cat: Catalog, office: str, values: Values, plan_year: int, until: date, rng: random.Random, prefix: str = ""
) -> list[Submission]:
    """Every file one office sends for the baseline year and the plan year, up to ``until``."""
    indicators = sorted(cat.indicators_of(office), key=lambda i: i.code)
    style = STYLE.get(office, ("long", "csv", "intl", "en", "code", "name"))
    minute = 5 * sorted(cat.offices).index(office) % 60
    out: list[Submission] = []
    base_year = plan_year - 1
    base_periods = {p.code for i in indicators for p in calendar.periods(i.frequency, base_year)}
    out.append(
        Submission(
            office,
            f"{prefix}{office}_{base_year}_SYNTHETIC",
            datetime(plan_year, 1, 25, 9, minute),
            "baseline",
            _rows_of(values, indicators, base_periods),
            style,
        )
    )
    estimated = [i for i in indicators if i.code in ESTIMATED]
    plain = [i for i in indicators if i.code not in ESTIMATED]
    last_end: date | None = None
    for period in calendar.periods(_cadence(indicators), plan_year):
        code, end = period.code, period.end
        if end > until:
            break
        last_end = end
        if (office, code) in SKIPPED:
            continue
        rows: list[Row] = []
        for ind in plain:
            rows += _rows_of(values, [ind], _periods_ending(ind, plan_year, end))
        for ind in estimated:
            current = _periods_ending(ind, plan_year, end)
            rows += [
                Row(r.indicator, r.unit, r.period, _estimate(r.value, rng), "estimate")
                for r in _rows_of(values, [ind], current)
            ]
            if current:
                rows += _rows_of(values, [ind], _previous(ind, plan_year, end))
        if not rows:
            continue
        due = min(calendar.due_date(i, period) for i in indicators)
        sent = due - timedelta(days=rng.randint(1, 8)) + timedelta(days=LATE_DAYS.get((office, code), 0))
        stamp = datetime(sent.year, sent.month, sent.day, 9, minute)
        correction = CORRECTIONS.get((office, code))
        if correction:
            indicator, error, index = correction
            keys = sorted(
                (r for r in rows if r.indicator == indicator and r.value_type == "actual"),
                key=lambda r: (r.unit, r.period),
            )
            right = keys[index % len(keys)]
            rows = [
                Row(r.indicator, r.unit, r.period, r.value + error, r.value_type) if r == right else r for r in rows
            ]
            fix = Row(right.indicator, right.unit, right.period, right.value, "actual", "Điều chỉnh số liệu đã gửi")
            out.append(Submission(office, f"{prefix}{office}_{code}_SYNTHETIC", stamp, "regular", rows, style))
            out.append(
                Submission(
                    office,
                    f"{prefix}{office}_{code}_dieu-chinh_SYNTHETIC",
                    stamp + timedelta(days=6),
                    "correction",
                    [fix],
                    style,
                )
            )
            continue
        out.append(Submission(office, f"{prefix}{office}_{code}_SYNTHETIC", stamp, "regular", rows, style))
    if estimated and last_end is not None and last_end.month == 12:
        finals = [r for ind in estimated for r in _rows_of(values, [ind], _periods_ending(ind, plan_year, last_end))]
        last = next(p for p in calendar.periods(estimated[0].frequency, plan_year) if p.end == last_end)
        closing = calendar.due_date(estimated[0], last) + timedelta(days=5)
        out.append(
            Submission(
                office,
                f"{prefix}{office}_{plan_year}-12_chinh-thuc_SYNTHETIC",
                datetime(closing.year, closing.month, closing.day, 9, minute),
                "final",
                finals,
                style,
            )
        )
    return out


def applied(submissions: list[Submission]) -> Values:
    """The actual figures in force after every submission (later files supersede earlier ones)."""
    values: Values = {}
    for sub in sorted(submissions, key=lambda s: (s.submitted_at, s.stem)):
        for row in sub.rows:
            if row.value_type == "actual":
                values[(row.indicator, row.unit, row.period)] = row.value
    return values
