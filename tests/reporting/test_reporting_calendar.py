"""The reporting calendar and the reminder window, on the project's real catalog."""

from __future__ import annotations

from datetime import date

from ingest import catalog as catalog_mod
from reporting.calendar import baseline_indicators, due_date, obligations, periods
from reporting.reminders import outstanding


def test_due_dates_follow_the_catalog() -> None:
    cat = catalog_mod.default()
    budget = cat.indicators["budget_revenue"]  # monthly, day 20, one month after
    sown = cat.indicators["sown_area"]  # quarterly, day 20, one month after
    assert due_date(budget, periods("monthly", 2022)[4]) == date(2022, 6, 20)
    assert due_date(budget, periods("monthly", 2022)[11]) == date(2023, 1, 20)
    assert due_date(sown, periods("quarterly", 2022)[1]) == date(2022, 7, 20)
    assert due_date(sown, periods("yearly", 2021)[0]) == date(2022, 1, 20)


def test_baseline_is_owed_only_for_targets_compared_with_last_year() -> None:
    cat = catalog_mod.default()
    assert baseline_indicators(cat, 2022) == {
        "gross_output_value",
        "commune_new_rural_certified",
        "schools_national_standard",
        "commune_health_criteria",
        "households_poor",
        "households_total",
        "traffic_accidents",
        "traffic_deaths",
        "traffic_injuries",
        "criminal_offences",
    }
    yte = [(o.indicator_code, o.period.code) for o in obligations(cat, 2022) if o.office_code == "yte"]
    assert len(yte) == 3 * 4 + 1
    assert ("commune_health_criteria", "2021") in yte
    assert ("medical_waste_treated", "2021") not in yte
    assert [o.period.label_vi for o in obligations(cat, 2022) if o.indicator_code == "tourist_visits"][:2] == [
        "Tháng 1/2022",
        "Tháng 2/2022",
    ]


def test_reminders_start_lead_days_before_and_continue_while_overdue() -> None:
    cat = catalog_mod.default()
    owed = [o for o in obligations(cat, 2022) if o.office_code == "yte"]
    sent = {("yte", "commune_health_criteria", "2021")} | {
        ("yte", code, "2022-Q1")
        for code in ("commune_health_criteria", "medical_waste_treated", "medical_waste_generated")
    }
    # 14 July: Q2 (due 20 July) is six days away, outside a five-day lead.
    assert outstanding(owed, sent, date(2022, 7, 14), lead_days=5) == {}
    due_soon = outstanding(owed, sent, date(2022, 7, 15), lead_days=5)["yte"]
    assert [(r.obligation.period.code, r.days_overdue) for r in due_soon] == [("2022-Q2", -5)] * 3
    # Months later Q2 is still owed (overdue), Q3 has come due, and Q1 stays settled.
    late = outstanding(owed, sent, date(2022, 10, 25), lead_days=5)["yte"]
    assert sorted({(r.obligation.period.code, r.days_overdue) for r in late}) == [("2022-Q2", 97), ("2022-Q3", 5)]
    assert len(late) == 6
