"""The one reporting calendar: its rules, its labels, and the seeds dbt reads being exactly its output."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from core import calendar, catalog
from core.settings import CATALOG_DIR, REPO_ROOT
from ingest import periods as ingest_periods


def test_the_seeds_dbt_reads_are_what_core_calendar_computes() -> None:
    # If this fails, the catalog changed without `make calendar` (python -m core.calendar).
    for name, text in calendar.seed_texts(catalog.default()).items():
        assert (CATALOG_DIR / name).read_text(encoding="utf-8") == text, f"{name}: run `make calendar`"


def test_the_seed_rows_of_one_indicator() -> None:
    with open(CATALOG_DIR / calendar.OBLIGATIONS_SEED, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["indicator_code"] == "commune_health_criteria"]
    assert [(r["period_code"], r["period_label_vi"], r["is_baseline"], r["due_date"]) for r in rows] == [
        ("2021", "Năm 2021", "true", "2022-01-20"),
        ("2022-Q1", "Quý 1/2022", "false", "2022-04-20"),
        ("2022-Q2", "Quý 2/2022", "false", "2022-07-20"),
        ("2022-Q3", "Quý 3/2022", "false", "2022-10-20"),
        ("2022-Q4", "Quý 4/2022", "false", "2023-01-20"),
    ]
    assert {(r["office_code"], r["level"], r["aggregation"], r["period_grain"]) for r in rows[1:]} == {
        ("yte", "commune", "stock", "quarter")
    }
    with open(CATALOG_DIR / calendar.OBLIGATION_UNITS_SEED, encoding="utf-8", newline="") as handle:
        units = [
            r["admin_unit_code"] for r in csv.DictReader(handle) if r["indicator_code"] == "commune_health_criteria"
        ]
    assert len(units) == 5 * 17  # XH03 is over the town and the 16 communes, in every period


def test_writing_the_seeds_twice_changes_nothing(tmp_path: Path) -> None:
    assert len(calendar.write_seeds(folder=tmp_path)) == 2
    assert calendar.write_seeds(folder=tmp_path) == []


def test_periods_and_labels() -> None:
    assert [p.code for p in calendar.periods("quarterly", 2022)] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]
    q2 = calendar.quarter(2022, 2)
    assert (q2.start, q2.end, q2.first_month, q2.last_month, q2.year) == (
        date(2022, 4, 1),
        date(2022, 6, 30),
        4,
        6,
        2022,
    )
    assert calendar.month(2024, 2).end == date(2024, 2, 29)
    assert [calendar.period_label_vi(c) for c in ("2022-05", "2022-Q2", "2021")] == [
        "tháng 5/2022",
        "quý 2/2022",
        "năm 2021",
    ]
    assert [calendar.period_of_code(c).label_vi for c in ("2022-05", "2022-Q2", "2021")] == [
        "Tháng 5/2022",
        "Quý 2/2022",
        "Năm 2021",
    ]
    assert calendar.period_label_vi("2022-13") == "2022-13"  # what the office wrote, as it wrote it
    assert calendar.period_label_vi("Quý 5/2022", capital=True) == "Quý 5/2022"
    assert [calendar.year_to_date_label_vi(2022, m) for m in (1, 3, 6, 9, 12)] == [
        "tháng 1/2022",
        "3 tháng đầu năm 2022",
        "6 tháng đầu năm 2022",
        "9 tháng đầu năm 2022",
        "năm 2022",
    ]
    assert calendar.year_to_date_label_vi(2022, 6, capital=True) == "6 tháng đầu năm 2022"
    with pytest.raises(ValueError):
        calendar.periods("weekly", 2022)


def test_ingest_reads_periods_into_the_calendars_periods() -> None:
    assert ingest_periods.parse("Quý II/2022") == calendar.quarter(2022, 2)
    assert ingest_periods.parse("05/2022") == calendar.month(2022, 5)
    assert ingest_periods.Period is calendar.Period


def test_due_dates() -> None:
    sown = catalog.default().indicators["sown_area"]  # quarterly, day 20, one month after
    assert calendar.due_date(sown, calendar.quarter(2022, 4)) == date(2023, 1, 20)
    assert calendar.due_date(sown, calendar.year(2021)) == date(2022, 1, 20)
    end_of_month = replace(sown, due_day=31, due_month_offset=2)
    assert calendar.due_date(end_of_month, calendar.quarter(2022, 1)) == date(2022, 5, 31)
    assert calendar.due_date(end_of_month, calendar.quarter(2022, 2)) == date(2022, 8, 31)
    assert calendar.due_date(end_of_month, calendar.month(2022, 12)) == date(2023, 2, 28)
    same_month = replace(sown, due_day=25, due_month_offset=0)
    assert calendar.due_date(same_month, calendar.quarter(2022, 1)) == date(2022, 3, 25)
    assert calendar.due_rule_vi(same_month) == "ngày 25 cùng tháng kết thúc kỳ"
    assert calendar.due_rule_vi(end_of_month) == "ngày 31 2 tháng sau kỳ"


def test_first_figure_due_per_indicator() -> None:
    first = calendar.first_due_dates(catalog.default(), 2022)
    assert first["budget_revenue"] == date(2022, 2, 20)  # January, monthly
    assert first["sown_area"] == date(2022, 4, 20)  # Q1: nothing is due in January or February
    assert first["traffic_deaths"] == date(2022, 2, 20)  # not its baseline year (due 20/01/2022)


def test_obligations_carry_plan_year_level_and_units() -> None:
    owed = calendar.all_obligations(catalog.default())
    assert {o.plan_year for o in owed} == {2022}
    assert len(owed) == 214
    town = next(o for o in owed if o.indicator_code == "town_population" and o.period.code == "2022-Q2")
    assert (town.office_code, town.level, town.units, town.due_date) == (
        "ktht",
        "commune",
        ("TT_VAN_QUAN",),
        date(2022, 7, 20),
    )


PASS_THROUGH = {"stg_catalog__indicators", "dim_indicator"}
_DATE_RULES = re.compile(r"due_month_offset|\bdue_day\b|\bperiod_label_vi\s*=|def period_label|monthrange\(")


def test_no_other_copy_of_the_calendar() -> None:
    """Due dates and period labels are computed in core.calendar only (dbt reads its seeds)."""
    allowed = {
        "core/calendar.py",
        "core/catalog.py",  # reads the two catalog columns
        "ingest/periods.py",  # reads the days of a month an office wrote (parsing only)
    }
    found = []
    for folder in ("ingest", "reporting", "sampledata", "runtime", "warehouse", "dags"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            rel = path.relative_to(REPO_ROOT).as_posix()
            if rel not in allowed and _DATE_RULES.search(path.read_text(encoding="utf-8")):
                found.append(rel)
    for path in (REPO_ROOT / "dbt" / "models").rglob("*.sql"):
        # the staging model and the indicator dimension pass the catalog's columns through
        if "due_month_offset" in path.read_text(encoding="utf-8") and path.stem not in PASS_THROUGH:
            found.append(path.relative_to(REPO_ROOT).as_posix())
    assert found == []
