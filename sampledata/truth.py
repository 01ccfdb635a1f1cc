"""The invented "true" figures of one year: every indicator, unit of area and period.

District totals follow a hand-made design (``DESIGN``) with realistic Văn Quan magnitudes
(about 58,000 people, 14,000 households, poverty near 20 % in 2021, forest cover near 61 %)
chosen so that the 2022 targets end in a mix of outcomes: tourist visits exceed, budget
revenue falls behind and misses, poverty reduction misses, most others are achieved. The
seed only decides how totals spread over communes and months, never the totals themselves,
so the intended outcome of every target holds for every seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core import calendar
from core.catalog import AdminUnit, Catalog, Indicator
from sampledata.alloc import allocate, allocate_decimal, jitter

Key = tuple[str, str, str]  # indicator code, unit code, period code
Values = dict[Key, Decimal]

D = Decimal
MONTHS = 12


@dataclass(frozen=True)
class YearDesign:
    """District-level figures of one year (lists are per quarter unless said per month)."""

    budget_revenue: D  # million VND, flow, monthly
    gross_output_value: D  # billion VND, flow
    income_per_capita: list[D]
    sown_area: D
    star_anise_output: D
    tourist_visits: list[int]  # per month
    medical_waste: D
    traffic: dict[str, int]  # yearly totals of the police's four counts
    new_forest_area: D
    new_forest_area_anise_camellia: D
    forest_cover_rate: list[D]
    solid_waste_generated: D
    solid_waste_collected_pct: D
    schools_national_standard: list[int]
    workers_total: list[int]
    workers_trained_pct: list[D]
    town_population: tuple[int, int]  # first and last month of the year
    rural_population: tuple[int, int]
    insured_pct: tuple[D, D]  # first and last month
    hygienic_water_pct: list[D]
    town_clean_water_pct: list[D]
    households_total: list[int]
    households_poor_pct: list[D]
    villages_off_grid: list[int]
    cultural_house_pct: list[D]
    new_rural_communes: list[int]
    paved_road_communes: list[int]  # of the 16 communes
    health_criteria_units: list[int]  # of the 17 units


DESIGN: dict[int, YearDesign] = {
    2021: YearDesign(
        budget_revenue=D(18200),
        gross_output_value=D("2650.0"),
        income_per_capita=[D("27.5"), D("28.2"), D("28.9"), D("29.6")],
        sown_area=D("8950.0"),
        star_anise_output=D("17100.0"),
        tourist_visits=[330, 560, 380, 340, 300, 250, 280, 300, 320, 320, 370, 430],
        medical_waste=D("38.4"),
        traffic={"traffic_accidents": 38, "traffic_deaths": 19, "traffic_injuries": 30, "criminal_offences": 62},
        new_forest_area=D("720.0"),
        new_forest_area_anise_camellia=D("190.0"),
        forest_cover_rate=[D("60.1"), D("60.2"), D("60.5"), D("60.6")],
        solid_waste_generated=D("2920.0"),
        solid_waste_collected_pct=D("96.5"),
        schools_national_standard=[25, 26, 26, 27],
        workers_total=[36200, 36300, 36400, 36500],
        workers_trained_pct=[D("50.8"), D("51.2"), D("51.6"), D("52.0")],
        town_population=(6100, 6150),
        rural_population=(51000, 51250),
        insured_pct=(D("95.2"), D("96.0")),
        hygienic_water_pct=[D("98.3"), D("98.4"), D("98.5"), D("98.6")],
        town_clean_water_pct=[D("97.0"), D("97.2"), D("97.4"), D("97.5")],
        households_total=[13700, 13750, 13800, 13850],
        households_poor_pct=[D("22.5"), D("22.3"), D("22.0"), D("20.1")],
        villages_off_grid=[4, 4, 3, 3],
        cultural_house_pct=[D(48), D(49), D(50), D(51)],
        new_rural_communes=[5, 5, 5, 5],
        paved_road_communes=[14, 14, 14, 14],
        health_criteria_units=[13, 13, 14, 14],
    ),
    2022: YearDesign(
        budget_revenue=D(17850),  # target 19,000: behind all year, missed
        gross_output_value=D("2880.6"),  # +8.7 %: within the 8.5–9 % range
        income_per_capita=[D("30.2"), D("30.9"), D("31.6"), D("32.4")],  # target 32
        sown_area=D("9120.0"),  # target 9,000
        star_anise_output=D("16450.0"),  # target 17,600: missed
        tourist_visits=[500, 950, 600, 550, 500, 450, 450, 500, 550, 550, 600, 650],  # 6,850 vs 5,000: exceeded
        medical_waste=D("41.2"),  # all treated: 100 %
        traffic={"traffic_accidents": 33, "traffic_deaths": 18, "traffic_injuries": 31, "criminal_offences": 59},
        new_forest_area=D("768.0"),  # target 750
        new_forest_area_anise_camellia=D("246.0"),  # target over 200: exceeded
        forest_cover_rate=[D("60.6"), D("60.8"), D("61.2"), D("61.4")],  # over 61
        solid_waste_generated=D("3010.0"),
        solid_waste_collected_pct=D("98.3"),  # target 98
        schools_national_standard=[27, 28, 29, 30],  # 3 more: exceeds "2 more"
        workers_total=[36600, 36700, 36800, 36900],
        workers_trained_pct=[D("53.0"), D("54.1"), D("55.2"), D("56.2")],  # over 55
        town_population=(6160, 6230),
        rural_population=(51300, 51870),
        insured_pct=(D("96.1"), D("96.8")),  # target 98: missed
        hygienic_water_pct=[D("98.7"), D("98.8"), D("99.0"), D("99.1")],  # target 99.5: missed
        town_clean_water_pct=[D("97.8"), D("98.1"), D("98.4"), D("98.6")],  # target 98
        households_total=[13900, 13950, 14000, 14050],
        households_poor_pct=[D("19.9"), D("19.6"), D("19.2"), D("16.4")],  # down 3.7 points: missed
        villages_off_grid=[3, 2, 0, 0],  # 100 % by Q3
        cultural_house_pct=[D(52), D(54), D(56), D(58)],  # over 55
        new_rural_communes=[5, 5, 5, 6],  # one more
        paved_road_communes=[14, 15, 15, 16],  # 100 % by Q4
        health_criteria_units=[14, 14, 15, 15],  # one more, 15 in all
    ),
}

# Seasonal shares per quarter or month of the flows.
PROFILE = {
    "budget_revenue": [6, 7, 8, 8, 8, 8, 8, 8, 9, 9, 9, 12],
    "gross_output_value": [22, 24, 26, 28],
    "sown_area": [35, 30, 25, 10],
    "star_anise_output": [20, 5, 45, 30],
    "medical_waste": [25, 25, 25, 25],
    "new_forest_area": [15, 55, 25, 5],
    "solid_waste_generated": [24, 25, 25, 26],
    "traffic": [9, 10, 8, 8, 8, 8, 8, 8, 8, 8, 8, 9],
}


def scaled(design: YearDesign, factor: float) -> YearDesign:
    """The same design with every flow and head count multiplied (scale mode's other districts)."""

    def num(v: D, places: str = "0.1") -> D:
        return (v * D(str(factor))).quantize(D(places), ROUND_HALF_UP)

    def whole(v: int) -> int:
        return max(1, round(v * factor))

    return YearDesign(
        budget_revenue=num(design.budget_revenue, "1"),
        gross_output_value=num(design.gross_output_value),
        income_per_capita=design.income_per_capita,
        sown_area=num(design.sown_area),
        star_anise_output=num(design.star_anise_output),
        tourist_visits=[whole(v) for v in design.tourist_visits],
        medical_waste=num(design.medical_waste),
        traffic={k: whole(v) for k, v in design.traffic.items()},
        new_forest_area=num(design.new_forest_area),
        new_forest_area_anise_camellia=num(design.new_forest_area_anise_camellia),
        forest_cover_rate=design.forest_cover_rate,
        solid_waste_generated=num(design.solid_waste_generated),
        solid_waste_collected_pct=design.solid_waste_collected_pct,
        schools_national_standard=design.schools_national_standard,
        workers_total=[whole(v) for v in design.workers_total],
        workers_trained_pct=design.workers_trained_pct,
        town_population=(whole(design.town_population[0]), whole(design.town_population[1])),
        rural_population=(whole(design.rural_population[0]), whole(design.rural_population[1])),
        insured_pct=design.insured_pct,
        hygienic_water_pct=design.hygienic_water_pct,
        town_clean_water_pct=design.town_clean_water_pct,
        households_total=[whole(v) for v in design.households_total],
        households_poor_pct=design.households_poor_pct,
        villages_off_grid=design.villages_off_grid,
        cultural_house_pct=design.cultural_house_pct,
        new_rural_communes=design.new_rural_communes,
        paved_road_communes=design.paved_road_communes,
        health_criteria_units=design.health_criteria_units,
    )


def units_for(cat: Catalog, indicator: Indicator, year: int) -> list[AdminUnit]:
    """The units an indicator is reported for: the district, or the communes its targets look at."""
    if indicator.level == "district":
        return [cat.district()]
    scopes = {t.unit_scope for t in cat.targets if indicator.code in (t.indicator_code, t.denominator_code)} or {"all"}
    units = sorted(cat.communes_on(date(year, 6, 30)), key=lambda u: (u.unit_type != "thi_tran", u.name_vi))
    if scopes == {"xa"}:
        return [u for u in units if u.unit_type == "xa"]
    if scopes == {"thi_tran"}:
        return [u for u in units if u.unit_type == "thi_tran"]
    return units


def _pct_of(total: int, pct: D) -> int:
    return int((D(total) * pct / 100).to_integral_value(ROUND_HALF_UP))


class YearBuilder:
    """Builds the true values of one year; one instance per (district, year)."""

    def __init__(self, cat: Catalog, year: int, design: YearDesign, rng: random.Random) -> None:
        self.cat = cat
        self.year = year
        self.d = design
        self.rng = rng
        self.values: Values = {}
        self.units = sorted(cat.communes_on(date(year, 6, 30)), key=lambda u: (u.unit_type != "thi_tran", u.name_vi))
        self.xa = [u for u in self.units if u.unit_type == "xa"]
        self.town = next(u for u in self.units if u.unit_type == "thi_tran")
        # Stable per-unit sizes: people, households and villages follow the number of villages.
        self.size = {u.code: (u.villages_total or 8) * jitter(rng, 0.15) for u in self.units}

    # -- helpers -------------------------------------------------------------------------
    def periods(self, code: str) -> list[str]:
        return [p.code for p in calendar.periods(self.cat.indicators[code].frequency, self.year)]

    def put(self, code: str, unit: str, period: str, value: D | int) -> None:
        self.values[(code, unit, period)] = D(value)

    def weights(self, units: list[AdminUnit], spread: float) -> list[float]:
        return [self.size[u.code] * jitter(self.rng, spread) for u in units]

    def district_flow(self, code: str, total: D, profile: list[int], places: int) -> list[D]:
        parts = allocate_decimal(total, [p * jitter(self.rng, 0.04) for p in profile], places)
        for period, value in zip(self.periods(code), parts, strict=True):
            self.put(code, "VAN_QUAN", period, value)
        return parts

    def commune_flow(self, code: str, total: D, profile: list[int], units: list[AdminUnit], spread: float) -> None:
        base = self.weights(units, spread)
        per_period = allocate_decimal(total, [p * jitter(self.rng, 0.04) for p in profile], 1)
        for period, amount in zip(self.periods(code), per_period, strict=True):
            parts = allocate_decimal(amount, [w * jitter(self.rng, 0.05) for w in base], 1)
            for unit, value in zip(units, parts, strict=True):
                self.put(code, unit.code, period, value)

    def split_count(self, total: int, units: list[AdminUnit], weights: list[float], caps: list[int] | None = None):
        return dict(zip((u.code for u in units), allocate(total, weights, caps), strict=True))

    def ratio(self, num: str, den: str, pct: D, period: str, units: list[AdminUnit], spread: float) -> None:
        """Numerator per unit from the denominators already placed, hitting the district rate."""
        dens = [int(self.values[(den, u.code, period)]) for u in units]
        total = _pct_of(sum(dens), pct)
        weights = [d * jitter(self.rng, spread) for d in dens]
        if pct >= 50:  # spread the shortfall: high rates stay below 100 % in every unit
            short = allocate(sum(dens) - total, weights, dens)
            parts = [d - s for d, s in zip(dens, short, strict=True)]
        else:
            parts = allocate(total, weights, dens)
        for unit, value in zip(units, parts, strict=True):
            self.put(num, unit.code, period, value)

    def flags(self, code: str, units: list[AdminUnit], counts: list[int]) -> None:
        """0/1 per unit; a unit once flagged stays flagged, the earliest flagged are the largest."""
        order = sorted(units, key=lambda u: (-self.size[u.code], u.code))
        for period, count in zip(self.periods(code), counts, strict=True):
            flagged = {u.code for u in order[:count]}
            for unit in units:
                self.put(code, unit.code, period, 1 if unit.code in flagged else 0)

    # -- the indicators ------------------------------------------------------------------
    def build(self) -> Values:
        for step in self._steps():
            step()
        return self.values

    def _steps(self) -> list[Callable[[], None]]:
        return [self._finance, self._agriculture, self._people, self._villages, self._services, self._police]

    def _finance(self) -> None:
        d = self.d
        self.district_flow("budget_revenue", d.budget_revenue, PROFILE["budget_revenue"], 0)
        self.district_flow("gross_output_value", d.gross_output_value, PROFILE["gross_output_value"], 1)
        for period, value in zip(self.periods("income_per_capita"), d.income_per_capita, strict=True):
            self.put("income_per_capita", "VAN_QUAN", period, value)

    def _agriculture(self) -> None:
        d = self.d
        self.commune_flow("sown_area", d.sown_area, PROFILE["sown_area"], self.units, 0.25)
        self.commune_flow("star_anise_output", d.star_anise_output, PROFILE["star_anise_output"], self.units, 0.5)
        forest = "new_forest_area"
        self.commune_flow(forest, d.new_forest_area, PROFILE[forest], self.units, 0.4)
        anise = "new_forest_area_anise_camellia"
        share = d.new_forest_area_anise_camellia / d.new_forest_area
        for period in self.periods(forest):
            parts = [self.values[(forest, u.code, period)] for u in self.units]
            total = (sum(parts) * share).quantize(D("0.1"), ROUND_HALF_UP)
            split = allocate(
                int(total * 10), [float(p) * jitter(self.rng, 0.3) for p in parts], [int(p * 10) for p in parts]
            )
            for unit, tenths in zip(self.units, split, strict=True):
                self.put(anise, unit.code, period, D(tenths) / 10)
        for period, value in zip(self.periods("forest_cover_rate"), d.forest_cover_rate, strict=True):
            self.put("forest_cover_rate", "VAN_QUAN", period, value)
        self.flags("commune_new_rural_certified", self.xa, d.new_rural_communes)
        for period in self.periods("policy_assessment_nq08"):
            self.put("policy_assessment_nq08", "VAN_QUAN", period, 1)

    def _people(self) -> None:
        d = self.d
        town_w = [1.0]
        rural_w = self.weights(self.xa, 0.05)
        monthly: dict[int, dict[str, int]] = {}
        for m in range(1, MONTHS + 1):
            step = (m - 1) / (MONTHS - 1)
            town = round(d.town_population[0] + (d.town_population[1] - d.town_population[0]) * step)
            rural = round(d.rural_population[0] + (d.rural_population[1] - d.rural_population[0]) * step)
            monthly[m] = self.split_count(town, [self.town], town_w) | self.split_count(rural, self.xa, rural_w)
        for m, period in enumerate(self.periods("population"), start=1):
            for code, value in monthly[m].items():
                self.put("population", code, period, value)
            low, high = d.insured_pct
            pct = (low + (high - low) * D(m - 1) / (MONTHS - 1)).quantize(D("0.01"))
            self.ratio("people_health_insured", "population", pct, period, self.units, 0.01)
        for q, period in enumerate(self.periods("rural_population")):
            for unit in self.xa:
                self.put("rural_population", unit.code, period, monthly[3 * q + 3][unit.code])
            self.ratio("rural_people_hygienic_water", "rural_population", d.hygienic_water_pct[q], period, self.xa, 0.3)
            self.put("town_population", self.town.code, period, monthly[3 * q + 3][self.town.code])
            self.ratio("town_people_clean_water", "town_population", d.town_clean_water_pct[q], period, [self.town], 0)
        hh_w = self.weights(self.units, 0.05)
        poor_w = [0.25 if u.unit_type == "thi_tran" else self.rng.uniform(0.6, 1.5) for u in self.units]
        for q, period in enumerate(self.periods("households_total")):
            for code, value in self.split_count(d.households_total[q], self.units, hh_w).items():
                self.put("households_total", code, period, value)
            dens = [int(self.values[("households_total", u.code, period)]) for u in self.units]
            total = _pct_of(sum(dens), d.households_poor_pct[q])
            parts = allocate(total, [x * w for x, w in zip(dens, poor_w, strict=True)], [x // 2 for x in dens])
            for unit, value in zip(self.units, parts, strict=True):
                self.put("households_poor", unit.code, period, value)
        for q, period in enumerate(self.periods("workers_total")):
            self.put("workers_total", "VAN_QUAN", period, d.workers_total[q])
            self.put("workers_trained", "VAN_QUAN", period, _pct_of(d.workers_total[q], d.workers_trained_pct[q]))

    def _villages(self) -> None:
        d = self.d
        totals = [u.villages_total or 0 for u in self.units]
        remote = sorted(self.xa, key=lambda u: (-(u.villages_total or 0), u.code))[:3]
        for q, period in enumerate(self.periods("villages_total")):
            for unit, total in zip(self.units, totals, strict=True):
                self.put("villages_total", unit.code, period, total)
                off = sum(1 for i in range(d.villages_off_grid[q]) if remote[i % len(remote)].code == unit.code)
                self.put("villages_on_grid", unit.code, period, total - off)
            count = _pct_of(sum(totals), d.cultural_house_pct[q])
            houses = allocate(count, [self.size[u.code] for u in self.units], totals)
            for unit, value in zip(self.units, houses, strict=True):
                self.put("villages_standard_cultural_house", unit.code, period, value)
        self.flags("commune_paved_road", self.xa, d.paved_road_communes)

    def _services(self) -> None:
        d = self.d
        generated = self.district_flow("medical_waste_generated", d.medical_waste, PROFILE["medical_waste"], 1)
        for period, value in zip(self.periods("medical_waste_treated"), generated, strict=True):
            self.put("medical_waste_treated", "VAN_QUAN", period, value)
        self.flags("commune_health_criteria", self.units, d.health_criteria_units)
        waste = self.district_flow(
            "solid_waste_generated", d.solid_waste_generated, PROFILE["solid_waste_generated"], 1
        )
        for period, value in zip(self.periods("solid_waste_collected"), waste, strict=True):
            collected = (value * d.solid_waste_collected_pct / 100).quantize(D("0.1"), ROUND_HALF_UP)
            self.put("solid_waste_collected", "VAN_QUAN", period, collected)
        for period, value in zip(self.periods("schools_national_standard"), d.schools_national_standard, strict=True):
            self.put("schools_national_standard", "VAN_QUAN", period, value)
        for period, value in zip(self.periods("tourist_visits"), d.tourist_visits, strict=True):
            self.put("tourist_visits", "VAN_QUAN", period, value)

    def _police(self) -> None:
        for code, total in self.d.traffic.items():
            parts = allocate(total, [p * jitter(self.rng, 0.6) for p in PROFILE["traffic"]])
            for period, value in zip(self.periods(code), parts, strict=True):
                self.put(code, "VAN_QUAN", period, value)


def build_year(cat: Catalog, year: int, design: YearDesign, rng: random.Random) -> Values:
    """Every indicator's true value for every unit and period of ``year``."""
    return YearBuilder(cat, year, design, rng).build()
