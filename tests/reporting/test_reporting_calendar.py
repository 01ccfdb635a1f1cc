"""The reporting calendar (core.calendar) as the reminders use it, on the project's real catalog."""

from __future__ import annotations

from datetime import date

from core import catalog as catalog_mod
from core.calendar import Span, baseline_indicators, covers, due_date, obligations, periods, units_reported
from reporting.reminders import compose, outstanding

COMMUNES = tuple(
    sorted(
        ("AN_SON", "BINH_PHUC", "DIEM_HE", "DONG_GIAP", "HOA_BINH", "HUU_LE", "KHANH_KHE", "LIEN_HOI", "LUONG_NANG",
         "TAN_DOAN", "TRAN_NINH", "TRANG_CAC", "TRANG_PHAI", "TRI_LE", "TU_XUYEN", "YEN_PHUC")
    )
)  # fmt: skip
ALL_UNITS = tuple(sorted((*COMMUNES, "TT_VAN_QUAN")))


def _span(code: str) -> Span:
    period = next(p for f in ("monthly", "quarterly", "yearly") for p in periods(f, int(code[:4])) if p.code == code)
    return Span(period.start, period.end)


def _figures(indicator: str, units: tuple[str, ...], *codes: str) -> dict[tuple[str, str], list[Span]]:
    return {(indicator, unit): [_span(code) for code in codes] for unit in units}


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
    figures = {
        **_figures("commune_health_criteria", ALL_UNITS, "2021", "2022-Q1"),
        **_figures("medical_waste_treated", ("VAN_QUAN",), "2022-Q1"),
        **_figures("medical_waste_generated", ("VAN_QUAN",), "2022-Q1"),
    }
    # 14 July: Q2 (due 20 July) is six days away, outside a five-day lead.
    assert outstanding(owed, figures, date(2022, 7, 14), lead_days=5) == {}
    due_soon = outstanding(owed, figures, date(2022, 7, 15), lead_days=5)["yte"]
    assert [(r.obligation.period.code, r.days_overdue) for r in due_soon] == [("2022-Q2", -5)] * 3
    # Months later Q2 is still owed (overdue), Q3 has come due, and Q1 stays settled.
    late = outstanding(owed, figures, date(2022, 10, 25), lead_days=5)["yte"]
    assert sorted({(r.obligation.period.code, r.days_overdue) for r in late}) == [("2022-Q2", 97), ("2022-Q3", 5)]
    assert len(late) == 6


def test_commune_obligations_are_owed_by_every_unit_in_scope() -> None:
    cat = catalog_mod.default()
    owed = {(o.indicator_code, o.period.code): o for o in obligations(cat, 2022)}
    # KT06 (unit_scope xa): the 16 communes, not the town; XH03 (all): the town and the communes;
    # MT06 (thi_tran): the town; a district-level indicator: the district.
    assert owed[("commune_new_rural_certified", "2022-Q1")].units == COMMUNES
    assert owed[("commune_health_criteria", "2022-Q1")].units == ALL_UNITS
    assert owed[("town_population", "2022-Q1")].units == ("TT_VAN_QUAN",)
    assert owed[("tourist_visits", "2022-05")].units == ("VAN_QUAN",)


def test_one_communes_figure_does_not_settle_the_offices_obligation() -> None:
    cat = catalog_mod.default()
    owed = [o for o in obligations(cat, 2022) if o.indicator_code == "commune_health_criteria"]
    q1 = next(o for o in owed if o.period.code == "2022-Q1")
    one = _figures("commune_health_criteria", ("AN_SON",), "2021", "2022-Q1")
    assert units_reported(q1, one) == ("AN_SON",)
    reminders = outstanding(owed, one, date(2022, 5, 2), lead_days=5)["yte"]
    assert [(r.obligation.period.code, len(r.units_missing)) for r in reminders] == [("2021", 16), ("2022-Q1", 16)]
    # Fifteen units in: the reminder says how many are missing, and which.
    fifteen = {
        key: [*spans, _span("2021")]
        for key, spans in _figures("commune_health_criteria", ALL_UNITS[:15], "2022-Q1").items()
    }
    fifteen |= _figures("commune_health_criteria", ALL_UNITS[15:], "2021")
    [reminder] = outstanding(owed, fifteen, date(2022, 5, 2), lead_days=5)["yte"]
    assert reminder.units_missing == ("TU_XUYEN", "YEN_PHUC")
    _subject, body = compose(cat.offices["yte"], [reminder], cat)
    assert (
        "kỳ báo cáo: Quý 1/2022; hạn nộp: 20/04/2022; ĐÃ QUÁ HẠN 12 ngày; "
        "đã nhận đủ số liệu của 15/17 đơn vị, còn thiếu 2 đơn vị: xã Tú Xuyên, xã Yên Phúc." in body
    )
    assert (
        outstanding(owed, _figures("commune_health_criteria", ALL_UNITS, "2021", "2022-Q1"), date(2022, 5, 2), 5) == {}
    )


def test_a_baseline_year_sent_by_months_or_quarters_settles_the_yearly_obligation() -> None:
    cat = catalog_mod.default()
    owed = [o for o in obligations(cat, 2022) if o.office_code == "congan" and o.is_baseline]
    assert [(o.indicator_code, o.period.code, o.due_date) for o in owed] == [
        ("criminal_offences", "2021", date(2022, 1, 20)),
        ("traffic_accidents", "2021", date(2022, 1, 20)),
        ("traffic_deaths", "2021", date(2022, 1, 20)),
        ("traffic_injuries", "2021", date(2022, 1, 20)),
    ]
    months = [f"2021-{m:02d}" for m in range(1, 13)]
    figures = {
        **_figures("traffic_accidents", ("VAN_QUAN",), *months),  # by month
        **_figures("traffic_deaths", ("VAN_QUAN",), "2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"),  # by quarter
        **_figures("traffic_injuries", ("VAN_QUAN",), "2021-Q1", "2021-Q2", "2021-Q3", *months[9:]),  # mixed
        **_figures("criminal_offences", ("VAN_QUAN",), *months[:11]),  # December missing
    }
    reminders = outstanding(owed, figures, date(2022, 3, 1), lead_days=5)["congan"]
    assert [(r.obligation.indicator_code, r.obligation.period.code) for r in reminders] == [
        ("criminal_offences", "2021")
    ]
    _subject, body = compose(cat.offices["congan"], reminders, cat)
    assert "kỳ báo cáo: Năm 2021 - số liệu năm trước để so sánh;" in body
    # A stock's year is its value at the end of the year: December or Q4 will do, a mid-year month not.
    [schools] = [o for o in obligations(cat, 2022) if o.indicator_code == "schools_national_standard" and o.is_baseline]
    assert covers(schools, [_span("2021-12")]) and covers(schools, [_span("2021-Q4")])
    assert not covers(schools, [_span("2021-06")])
