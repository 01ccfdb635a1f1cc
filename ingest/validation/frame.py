"""Turn parsed rows into the data frame the submission suites judge.

Besides the row's own fields, the frame carries features that let plain GX expectations
judge relations between rows and with the warehouse: the denominator given in the same file,
how many units a commune-level indicator covers, and plausibility bands from history and
peers. The bands are computed here; whether a value falls outside them is the suite's call.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core import catalog as catalog_mod
from ingest.model import ParsedRow
from ingest.validation.history import Figure

Key = tuple[str, str, str, str]  # indicator, unit, period, value_type
COLUMNS = (
    "sheet_name",
    "source_row",
    "indicator_code",
    "admin_unit_code",
    "unit_level",
    "indicator_level",
    "unit_in_year",
    "period_code",
    "period_grain",
    "period_year",
    "value",
    "value_fraction",
    "value_type",
    "denominator_value",
    "units_reported",
    "units_expected",
    "missing_units",
    "hist_low",
    "hist_high",
    "peer_low",
    "peer_high",
    "prev_value",
    "jump_low",
    "jump_high",
    "prev_stock",
    "breakdown_total",
)


@dataclass(frozen=True)
class Plausibility:
    mad_k: float
    min_points: int
    jump_factor: float


def _figures(rows: list[ParsedRow], history: Iterable[Figure]) -> dict[Key, Figure]:
    """History superseded by this file's rows (the file is the newest word)."""
    combined = {(f.indicator_code, f.admin_unit_code, f.period_code, f.value_type): f for f in history}
    for r in rows:
        combined[(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type)] = Figure(
            r.indicator_code,
            r.admin_unit_code,
            r.period_code,
            r.period_grain,
            r.period_start,
            r.period_end,
            float(r.value),
            r.value_type,
        )
    return combined


def _preferred(figures: list[Figure], value_type: str) -> dict[str, Figure]:
    """One figure per period: the same value type if there is one, else the other."""
    chosen: dict[str, Figure] = {}
    for f in sorted(figures, key=lambda f: f.value_type == value_type):
        chosen[f.period_code] = f
    return chosen


def _band(values: list[float], k: float, whole: bool, min_points: int) -> tuple[float, float] | None:
    """median ± k·MAD (MAD floored so that a flat history does not flag every change)."""
    if len(values) < min_points:
        return None
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    spread = max(mad, 0.05 * abs(med), 1.0 if whole else 0.0)
    if spread == 0:
        return None
    return med - k * spread, med + k * spread


def _prev_month(day: date) -> str:
    prev = day.replace(day=1) - timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


def _expected_units(cat: catalog_mod.Catalog, scope: str, day: date) -> list[catalog_mod.AdminUnit]:
    units = cat.communes_on(day)
    if scope == "xa":
        return [u for u in units if u.unit_type == "xa"]
    if scope == "thi_tran":
        return [u for u in units if u.unit_type == "thi_tran"]
    return units


def _breakdown_total(
    cat: catalog_mod.Catalog, ind: catalog_mod.Indicator, figures: list[Figure], scope: str, day: date, total: float
) -> float | None:
    """The units' sum to hold against a district total, or None where they cannot be compared.

    A breakdown that covers every unit must add up to the total; a partial one may fall
    short of it but never exceed it, since the figures are counts and amounts.
    """
    if not figures:
        return None
    units_sum = round(sum(f.value for f in figures), 6)
    expected = {u.code for u in _expected_units(cat, scope, day) if u.unit_type in ind.levels}
    complete = expected <= {f.admin_unit_code for f in figures}
    return units_sum if complete or units_sum > total else None


def build_frame(
    rows: list[ParsedRow],
    cat: catalog_mod.Catalog,
    *,
    history: Iterable[Figure] = (),
    pairs: list[tuple[str, str]] = (),
    unit_scope: dict[str, str] | None = None,
    tracked_years: Iterable[int] = (),
    plausibility: Plausibility,
) -> Any:
    """The rows as a pandas frame (index = position in ``rows``) with the suite's feature columns."""
    import pandas as pd

    history = list(history)
    combined = _figures(rows, history)
    in_file = {(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type): r for r in rows}
    denominators = dict(pairs)
    district = cat.district().code
    scopes = unit_scope or {}
    years = set(tracked_years)

    by_unit: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)  # ind, unit, grain
    by_period: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)  # ind, period, value_type
    by_series: dict[tuple[str, str], list[Figure]] = defaultdict(list)  # ind, unit
    for f in combined.values():
        by_unit[(f.indicator_code, f.admin_unit_code, f.period_grain)].append(f)
        by_series[(f.indicator_code, f.admin_unit_code)].append(f)
        if f.admin_unit_code != district:
            by_period[(f.indicator_code, f.period_code, f.value_type)].append(f)

    reported: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r.admin_unit_code != district:
            reported[(r.indicator_code, r.period_code, r.value_type)].add(r.admin_unit_code)

    k, min_points, factor = plausibility.mad_k, plausibility.min_points, plausibility.jump_factor
    # Rows share their groups (a unit's series, a period's peers): compute each group once.
    coverage_memo: dict[tuple[str, str, str, date], tuple[int, int, str]] = {}
    preferred_memo: dict[tuple[str, str, str, str], dict[str, Figure]] = {}
    series_memo: dict[tuple[str, str, str], dict[str, Figure]] = {}
    hist_memo: dict[tuple[str, str, str, str, str, bool], tuple[float, float] | None] = {}
    peers_memo: dict[tuple[str, str, str, str, bool], tuple[float, float] | None] = {}
    columns: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        ind = cat.indicators.get(r.indicator_code)
        value = float(r.value) if r.value is not None else None
        whole = bool(ind and ind.value_kind in ("count", "flag"))
        columns["sheet_name"].append(r.sheet_name)
        columns["source_row"].append(r.source_row)
        columns["indicator_code"].append(r.indicator_code)
        columns["admin_unit_code"].append(r.admin_unit_code)
        unit = cat.units.get(r.admin_unit_code)
        columns["unit_level"].append(unit.unit_type if unit else None)
        columns["indicator_level"].append(f"{r.indicator_code} {unit.unit_type}" if unit and ind else None)
        columns["period_code"].append(r.period_code)
        columns["period_grain"].append(r.period_grain)
        columns["period_year"].append(str(r.period_start.year))
        known = r.admin_unit_code in cat.units and r.period_start.year in years  # else other checks say why
        columns["unit_in_year"].append(f"{r.admin_unit_code} {r.period_start.year}" if known else None)
        columns["value"].append(value)
        columns["value_fraction"].append(float(abs(r.value) % 1) if r.value is not None else None)
        columns["value_type"].append(r.value_type)

        den_code = denominators.get(r.indicator_code)
        den = in_file.get((den_code, r.admin_unit_code, r.period_code, r.value_type)) if den_code else None
        columns["denominator_value"].append(float(den.value) if den is not None else None)

        units_reported = units_expected = missing = None
        if ind and ind.level == "commune" and r.admin_unit_code != district and r.indicator_code in scopes:
            ckey = (r.indicator_code, r.period_code, r.value_type, r.period_end)
            if ckey not in coverage_memo:
                expected = _expected_units(cat, scopes[r.indicator_code], r.period_end)
                got = reported[(r.indicator_code, r.period_code, r.value_type)]
                coverage_memo[ckey] = (
                    sum(1 for u in expected if u.code in got),
                    len(expected),
                    ", ".join(u.name_vi for u in expected if u.code not in got),
                )
            units_reported, units_expected, missing = coverage_memo[ckey]
        columns["units_reported"].append(units_reported)
        columns["units_expected"].append(units_expected)
        columns["missing_units"].append(missing)

        hkey = (r.indicator_code, r.admin_unit_code, r.period_grain, r.value_type, r.period_code, whole)
        if hkey not in hist_memo:
            pkey = hkey[:4]
            if pkey not in preferred_memo:
                preferred_memo[pkey] = _preferred(by_unit[pkey[:3]], r.value_type)
            own = [f.value for f in preferred_memo[pkey].values() if f.period_code != r.period_code]
            hist_memo[hkey] = _band(own, k, whole, min_points)
        hist = hist_memo[hkey]
        columns["hist_low"].append(hist[0] if hist else None)
        columns["hist_high"].append(hist[1] if hist else None)

        peers = None
        if ind and r.admin_unit_code != district:
            qkey = (r.indicator_code, r.period_code, r.value_type, r.admin_unit_code, whole)
            if qkey not in peers_memo:
                others = [f.value for f in by_period[qkey[:3]] if f.admin_unit_code != r.admin_unit_code]
                peers_memo[qkey] = _band(others, k, whole, min_points)
            peers = peers_memo[qkey]
        columns["peer_low"].append(peers[0] if peers else None)
        columns["peer_high"].append(peers[1] if peers else None)

        prev_value = jump_low = jump_high = prev_stock = None
        skey = (r.indicator_code, r.admin_unit_code, r.value_type)
        if skey not in series_memo:
            series_memo[skey] = _preferred(by_series[skey[:2]], r.value_type)
        series = series_memo[skey]
        if ind and ind.aggregation == "flow" and ind.frequency == "monthly" and r.period_grain == "month":
            prev = series.get(_prev_month(r.period_start))
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
        if ind and ind.additive and r.admin_unit_code == district and value is not None:
            units = by_period[(r.indicator_code, r.period_code, r.value_type)]
            breakdown = _breakdown_total(cat, ind, units, scopes.get(ind.code, "all"), r.period_end, value)
        columns["breakdown_total"].append(breakdown)

    frame = pd.DataFrame({name: columns[name] for name in COLUMNS}, index=range(len(rows)))
    floats = [
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
    ]
    for column in floats:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("units_reported", "units_expected"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame
