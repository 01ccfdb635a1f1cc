"""``build_frame`` gives exactly the frame of the plain row-by-row definition, on every input.

``build_frame`` computes its plausibility bands in numpy batches and its columns as whole
columns. The reference below is the straightforward per-row computation it replaced (each
row's band is ``statistics.median`` of its group less its own figure). Both are run on every
file of the fixture corpus, on half a year of every office's sample files with the files
before each as history, and on a generated file whose series have sixteen years of
history (ties, flat stretches, a NaN and an infinity among them), under three sets of
plausibility parameters; the frames must be equal value for value, dtype for dtype, with
None/NaN in the same places.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from core import calendar as core_calendar
from core import catalog as catalog_mod
from ingest.model import ParsedRow
from ingest.parse import parse_file
from ingest.validation.frame import COLUMNS, Plausibility, build_frame
from ingest.validation.history import Figure
from ingest.validation.suites import PLAUSIBILITY, numerator_pairs, tracked_years, unit_scopes
from sampledata.generate import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
SETTINGS = (
    Plausibility(float(PLAUSIBILITY["mad_k"]), int(PLAUSIBILITY["min_points"]), float(PLAUSIBILITY["jump_factor"])),
    Plausibility(2, 1, 1.5),  # an int k, and a band from a single other point
    Plausibility(3.5, 30, 2.0),  # only long series get a history band
)
FLOATS = [
    "value",
    "value_fraction",
    "denominator_value",
    "hist_low",
    "hist_high",
    "peer_low",
    "peer_high",
    "prev_value",
    "jump_low",
    "jump_high",
    "prev_stock",
    "breakdown_total",
    "units_reported",
    "units_expected",
]


# --- the reference: one row at a time, as the frame was first defined ---------------------


def reference_band(values: list[float], k: float, whole: bool, min_points: int) -> tuple[float, float] | None:
    if len(values) < min_points:
        return None
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    spread = max(mad, 0.05 * abs(med), 1.0 if whole else 0.0)
    if spread == 0:
        return None
    return med - k * spread, med + k * spread


def preferred(figures: list[Figure], value_type: str) -> dict[str, Figure]:
    chosen: dict[str, Figure] = {}
    for f in sorted(figures, key=lambda f: f.value_type == value_type):
        chosen[f.period_code] = f
    return chosen


def expected_units(cat: catalog_mod.Catalog, scope: str, day: date) -> list[catalog_mod.AdminUnit]:
    units = cat.communes_on(day)
    return [u for u in units if u.unit_type == scope] if scope in ("xa", "thi_tran") else units


def reference_frame(
    rows: list[ParsedRow],
    cat: catalog_mod.Catalog,
    *,
    history: list[Figure],
    pairs: list[tuple[str, str]],
    unit_scope: dict[str, str],
    tracked_years: list[int],
    plausibility: Plausibility,
) -> pd.DataFrame:
    combined = {(f.indicator_code, f.admin_unit_code, f.period_code, f.value_type): f for f in history}
    for r in rows:
        combined[(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type)] = figure_of(r)
    district = cat.district().code
    # The figures grouped the three ways the features read them (file order kept).
    by_unit: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    by_period: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    by_series: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for f in combined.values():
        by_unit[(f.indicator_code, f.admin_unit_code, f.period_grain)].append(f)
        by_series[(f.indicator_code, f.admin_unit_code)].append(f)
        if f.admin_unit_code != district:
            by_period[(f.indicator_code, f.period_code, f.value_type)].append(f)
    reported_units: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r.admin_unit_code != district:
            reported_units[(r.indicator_code, r.period_code, r.value_type)].add(r.admin_unit_code)
    in_file = {(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type): r for r in rows}
    k, min_points, factor = plausibility.mad_k, plausibility.min_points, plausibility.jump_factor
    columns: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        ind = cat.indicators.get(r.indicator_code)
        unit = cat.units.get(r.admin_unit_code)
        value = float(r.value) if r.value is not None else None
        whole = bool(ind and ind.value_kind in ("count", "flag"))
        peers_of_period = by_period.get((r.indicator_code, r.period_code, r.value_type), [])
        columns["sheet_name"].append(r.sheet_name)
        columns["source_row"].append(r.source_row)
        columns["indicator_code"].append(r.indicator_code)
        columns["admin_unit_code"].append(r.admin_unit_code)
        columns["unit_level"].append(unit.unit_type if unit else None)
        columns["indicator_level"].append(f"{r.indicator_code} {unit.unit_type}" if unit and ind else None)
        columns["period_code"].append(r.period_code)
        columns["period_grain"].append(r.period_grain)
        columns["period_year"].append(str(r.period_start.year))
        known = unit is not None and r.period_start.year in tracked_years
        columns["unit_in_year"].append(f"{r.admin_unit_code} {r.period_start.year}" if known else None)
        columns["value"].append(value)
        columns["value_fraction"].append(float(abs(r.value) % 1) if r.value is not None else None)
        columns["value_type"].append(r.value_type)

        den_code = dict(pairs).get(r.indicator_code)
        den = in_file.get((den_code, r.admin_unit_code, r.period_code, r.value_type)) if den_code else None
        columns["denominator_value"].append(float(den.value) if den is not None else None)

        reported = expected = missing = None
        if ind and ind.level == "commune" and r.admin_unit_code != district and r.indicator_code in unit_scope:
            units = expected_units(cat, unit_scope[r.indicator_code], r.period_end)
            got = reported_units[(r.indicator_code, r.period_code, r.value_type)]
            reported = sum(1 for u in units if u.code in got)
            expected = len(units)
            missing = ", ".join(u.name_vi for u in units if u.code not in got)
        columns["units_reported"].append(reported)
        columns["units_expected"].append(expected)
        columns["missing_units"].append(missing)

        own_unit = by_unit[(r.indicator_code, r.admin_unit_code, r.period_grain)]
        own = [f.value for f in preferred(own_unit, r.value_type).values() if f.period_code != r.period_code]
        hist = reference_band(own, k, whole, min_points)
        columns["hist_low"].append(hist[0] if hist else None)
        columns["hist_high"].append(hist[1] if hist else None)

        peers = None
        if ind and r.admin_unit_code != district:
            others = [f.value for f in peers_of_period if f.admin_unit_code != r.admin_unit_code]
            peers = reference_band(others, k, whole, min_points)
        columns["peer_low"].append(peers[0] if peers else None)
        columns["peer_high"].append(peers[1] if peers else None)

        prev_value = jump_low = jump_high = prev_stock = None
        series = preferred(by_series[(r.indicator_code, r.admin_unit_code)], r.value_type)
        if ind and ind.aggregation == "flow" and ind.frequency == "monthly" and r.period_grain == "month":
            before = r.period_start.replace(day=1) - timedelta(days=1)
            prev = series.get(f"{before.year:04d}-{before.month:02d}")
            if prev is not None and prev.period_grain == "month" and prev.value > 0:
                prev_value, jump_low, jump_high = prev.value, prev.value / factor, prev.value * factor
        if ind and ind.cumulative:
            earlier = [f for f in series.values() if f.period_end < r.period_start]
            if earlier:
                prev_stock = max(earlier, key=lambda f: (f.period_end, f.period_start)).value
                prev_value = prev_stock
        columns["prev_value"].append(prev_value)
        columns["jump_low"].append(jump_low)
        columns["jump_high"].append(jump_high)
        columns["prev_stock"].append(prev_stock)

        breakdown = None
        if ind and ind.additive and r.admin_unit_code == district and value is not None and peers_of_period:
            units_sum = round(sum(f.value for f in peers_of_period), 6)
            scope = unit_scope.get(ind.code, "all")
            wanted = {u.code for u in expected_units(cat, scope, r.period_end) if u.unit_type in ind.levels}
            complete = wanted <= {f.admin_unit_code for f in peers_of_period}
            breakdown = units_sum if complete or units_sum > value else None
        columns["breakdown_total"].append(breakdown)

    frame = pd.DataFrame({name: columns[name] for name in COLUMNS}, index=range(len(rows)))
    for column in FLOATS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


# --- the inputs ------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    office: str
    rows: list[ParsedRow]
    history: list[Figure] = field(default_factory=list)


def figure_of(r: ParsedRow) -> Figure:
    return Figure(
        r.indicator_code,
        r.admin_unit_code,
        r.period_code,
        r.period_grain,
        r.period_start,
        r.period_end,
        float(r.value),
        r.value_type,
    )


def fixture_cases() -> list[Case]:
    cases = []
    for path in sorted(p for p in FIXTURES.iterdir() if p.suffix != ".py"):
        rows = parse_file(path, "nnptnt").rows
        if rows:
            cases.append(Case(path.name, "nnptnt", rows))
    return cases


def sample_cases(folder: Path, cat: catalog_mod.Catalog) -> list[Case]:
    """Every office's sample files in the order they are sent, each with the ones before as history."""
    result = generate(folder, until="2022-06", cat=cat)
    by_office: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(result.files):
        if path.parent.name != "noivu":  # emulation records, judged by a suite of their own
            by_office[path.parent.name].append(path)
    cases = []
    for office, paths in sorted(by_office.items()):
        history: dict[tuple[str, str, str, str], Figure] = {}
        for path in paths:
            rows = parse_file(path, office).rows
            cases.append(Case(path.name, office, rows, list(history.values())))
            for r in rows:
                history[(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type)] = figure_of(r)
    return cases


LONG_INDICATORS = ("budget_revenue", "traffic_accidents", "commune_new_rural_certified", "population", "sown_area")


def long_history_case(cat: catalog_mod.Catalog) -> Case:
    """2022's figures of five indicators (monthly flows, a cumulative flag, a monthly stock,
    a quarterly flow), for the district and every unit, over sixteen years of history."""
    rng = random.Random(18)
    units = [cat.district().code, *sorted(u.code for u in cat.communes_on(date(2022, 1, 1)))]

    def periods(year: int) -> list[core_calendar.Period]:
        months = [core_calendar.month(year, m) for m in range(1, 13)]
        return [core_calendar.year(year), *(core_calendar.quarter(year, q) for q in range(1, 5)), *months]

    def value(indicator: str, n: int) -> float:
        if indicator == "commune_new_rural_certified":
            return float(n > rng.randint(0, 200))
        if rng.random() < 0.3:
            return float(rng.choice((0, 5, 5, 7)))  # ties and flat stretches
        return round(rng.uniform(0, 1000), rng.choice((0, 2)))

    history: list[Figure] = []
    for indicator in LONG_INDICATORS:
        for unit in units:
            n = 0
            for year in range(2006, 2022):
                for p in periods(year):
                    n += 1
                    for value_type in ("actual", "estimate"):
                        if value_type == "estimate" and rng.random() < 0.6:
                            continue
                        history.append(
                            Figure(indicator, unit, p.code, p.grain, p.start, p.end, value(indicator, n), value_type)
                        )
    history[100] = replace(history[100], value=math.nan)  # a value no order can place
    history[2000] = replace(history[2000], value=math.inf)

    rows: list[ParsedRow] = []
    for indicator in (*LONG_INDICATORS, "no_such_indicator"):
        for unit in (*units, "NO_SUCH_UNIT"):
            for p in periods(2022):
                for value_type in ("actual", "estimate"):
                    if value_type == "estimate" and rng.random() < 0.7:
                        continue
                    number = Decimal(rng.choice(("0", "5", "12.5", "640", "1000.25")))
                    rows.append(
                        ParsedRow(
                            "Số liệu",
                            len(rows) + 2,
                            indicator,
                            unit,
                            p.code,
                            p.grain,
                            p.start,
                            p.end,
                            number,
                            value_type,
                        )
                    )
    rows += rows[:40]  # keys given twice: the later row is the file's word
    return Case("long history", "nnptnt", rows, history)


# --- the comparison --------------------------------------------------------------------------


def assert_same_frames(case: Case, cat: catalog_mod.Catalog, plausibility: Plausibility) -> None:
    arguments: dict[str, Any] = {
        "history": case.history,
        "pairs": numerator_pairs(cat, case.office),
        "unit_scope": unit_scopes(cat),
        "tracked_years": tracked_years(cat),
        "plausibility": plausibility,
    }
    got = build_frame(case.rows, cat, **arguments)
    expected = reference_frame(case.rows, cat, **arguments)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=case.name)


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_HOME", str(tmp_path / "home"))


def test_every_fixture_file_gives_the_reference_frame() -> None:
    cat = catalog_mod.default()
    cases = fixture_cases()
    assert len(cases) == 24  # the corpus's 30 files less the six no reader can open
    for case in cases:
        assert_same_frames(case, cat, SETTINGS[0])


def test_every_office_s_sample_files_with_their_history_give_the_reference_frame(tmp_path: Path) -> None:
    cat = catalog_mod.default()
    cases = sample_cases(tmp_path / "inbox", cat)
    assert (len({c.office for c in cases}), len(cases), sum(len(c.history) > 0 for c in cases)) == (11, 51, 40)
    for case in cases:
        for plausibility in SETTINGS:
            assert_same_frames(case, cat, plausibility)


@pytest.mark.parametrize("plausibility", SETTINGS)
def test_a_long_history_gives_the_reference_frame(plausibility: Plausibility) -> None:
    cat = catalog_mod.default()
    case = long_history_case(cat)
    frame = build_frame(
        case.rows,
        cat,
        history=case.history,
        pairs=[],
        unit_scope=unit_scopes(cat),
        tracked_years=tracked_years(cat),
        plausibility=plausibility,
    )
    assert frame["hist_low"].notna().sum() > len(case.rows) // 2  # the bands are really computed
    assert_same_frames(case, cat, plausibility)
