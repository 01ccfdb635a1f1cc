"""Turn parsed rows into the data frame the submission suites judge.

Besides the row's own fields, the frame carries features that let plain GX expectations
judge relations between rows and with the warehouse: the denominator given in the same file,
how many units a commune-level indicator covers, and plausibility bands from history and
peers. The bands are computed here; whether a value falls outside them is the suite's call.

The frame is built on every file, so it is built column by column rather than row by row,
and the bands, each a median and MAD of a group with the row's own figure left out, are
computed in batches with numpy (see :func:`_leave_one_out_bands`). ``_band`` stays the
definition: a batch gives the same floats it would, and groups the batch cannot treat
alike (a value that is not finite, nothing left to take a median of) are handed to it.
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np

from core import catalog as catalog_mod
from ingest.model import ParsedRow
from ingest.validation.history import Figure

Key = tuple[str, str, str, str]  # indicator, unit, period, value_type
Band = tuple[float, float] | None
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
# Columns the suites compare as numbers: float64, NaN where there is nothing to compare.
FLOAT_COLUMNS = (
    "value",
    "value_fraction",
    "denominator_value",
    "units_reported",
    "units_expected",
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
# A batch of bands holds at most this many cells (requests × group size) at once, so that a
# long history costs time, not memory.
BATCH_CELLS = 1_000_000


@dataclass(frozen=True)
class Plausibility:
    mad_k: float
    min_points: int
    jump_factor: float


@dataclass(frozen=True)
class _Traits:
    """What the frame needs to know of an indicator, read once per indicator, not per row
    (some of it, like ``additive``, is derived by the catalog on each access)."""

    known: bool
    whole: bool  # counts and flags: a band is at least ±k·1
    commune_level: bool
    monthly_flow: bool
    cumulative: bool
    additive: bool


def _traits(ind: catalog_mod.Indicator | None) -> _Traits:
    if ind is None:
        return _Traits(False, False, False, False, False, False)
    return _Traits(
        known=True,
        whole=ind.value_kind in ("count", "flag"),
        commune_level=ind.level == "commune",
        monthly_flow=ind.aggregation == "flow" and ind.frequency == "monthly",
        cumulative=bool(ind.cumulative),
        additive=ind.additive,
    )


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


def _band(values: list[float], k: float, whole: bool, min_points: int) -> Band:
    """median ± k·MAD (MAD floored so that a flat history does not flag every change)."""
    if len(values) < min_points:
        return None
    med = statistics.median(values)
    mad = statistics.median(abs(v - med) for v in values)
    spread = max(mad, 0.05 * abs(med), 1.0 if whole else 0.0)
    if spread == 0:
        return None
    return med - k * spread, med + k * spread


def _leave_one_out_bands(
    groups: Sequence[list[float]], group: Any, left_out: Any, floor: Any, k: float, min_points: int
) -> tuple[Any, Any]:
    """``_band`` of each request's group less its left-out member: (low, high), NaN for none.

    Request ``i`` asks for the band of ``groups[group[i]]`` without its member at position
    ``left_out[i]`` (-1: leave nothing out); ``floor`` is each group's least spread (1 for
    counts). A row's band is the median and MAD of its group (a series' other periods, a
    period's other units) without the row's own figure. Calling ``_band`` per row sorts the
    group twice per row in Python; here each group is sorted once, the requests on groups
    of one size are stacked into a matrix, and the left-out median is read from the sorted
    row by position. The MAD needs the deviations from that median, which are sorted per
    request in numpy. Medians of an even count are ``(a + b) / 2`` as in
    ``statistics.median`` and the floors and bounds are the same IEEE operations, so every
    float equals ``_band``'s. Requests the matrices cannot treat alike (nothing left out,
    an empty remainder, a value that is not finite) are handed to ``_band`` itself.
    """
    low, high = np.full(len(group), math.nan), np.full(len(group), math.nan)
    sizes = np.array([len(values) for values in groups], dtype=np.intp)
    size = sizes[group]
    enough = size - (left_out >= 0) >= min_points
    candidate = enough & (left_out >= 0) & (size >= 2)
    by_python = [np.flatnonzero(enough & ~candidate)]
    for width in np.unique(size[candidate]).tolist():
        members = np.flatnonzero(sizes == width)
        values = np.array([groups[g] for g in members.tolist()], dtype=np.float64)
        row_of = np.full(len(groups), -1, dtype=np.intp)
        row_of[members] = np.arange(len(members))
        requests = np.flatnonzero(candidate & (size == width))
        finite = np.isfinite(values).all(axis=1)[row_of[group[requests]]]
        by_python.append(requests[~finite])
        requests = requests[finite]
        order = np.argsort(values, axis=1, kind="stable")
        ranked = np.take_along_axis(values, order, axis=1)
        rank = np.empty_like(order)  # rank[g, j]: where member j of group g sits in its sorted row
        np.put_along_axis(rank, order, np.broadcast_to(np.arange(width), order.shape), axis=1)
        step = max(1, BATCH_CELLS // width)
        for start in range(0, len(requests), step):
            chunk = requests[start : start + step]
            rows = row_of[group[chunk]]
            low[chunk], high[chunk] = _same_size_bands(ranked[rows], rank[rows, left_out[chunk]], floor[chunk], k)
    for i in np.concatenate(by_python).tolist():
        values = groups[group[i]]
        band = _band([v for j, v in enumerate(values) if j != left_out[i]], k, bool(floor[i]), min_points)
        if band is not None:
            low[i], high[i] = band
    return low, high


def _same_size_bands(ranked: Any, out: Any, floor: Any, k: float) -> tuple[Any, Any]:
    """Bands of sorted rows of one width, each without its member at position ``out``."""
    kept = ranked.shape[1] - 1
    median = _median_of_sorted(ranked, kept, skip=out)
    deviations = np.abs(ranked - median[:, None])
    deviations[np.arange(len(ranked)), out] = np.inf  # the left-out member sorts last
    deviations.sort(axis=1)
    mad = _median_of_sorted(deviations, kept, skip=None)
    spread = np.maximum(np.maximum(mad, 0.05 * np.abs(median)), floor)
    spread[spread == 0] = math.nan  # no spread, no band
    return median - k * spread, median + k * spread


def _median_of_sorted(ranked: Any, count: int, skip: Any | None) -> Any:
    """Per row, the median of the first ``count`` members of the sorted row once the member
    at ``skip`` (one position per row, or None) is taken out, as ``statistics.median`` gives it."""
    rows = np.arange(ranked.shape[0])

    def member(i: int) -> Any:
        return ranked[:, i] if skip is None else ranked[rows, i + (i >= skip)]

    half = count // 2
    if count % 2:
        return member(half)
    return (member(half - 1) + member(half)) / 2


@lru_cache(maxsize=4096)
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


class _Groups:
    """The figures (history and file) grouped the ways the features read them."""

    def __init__(self, combined: dict[Key, Figure], district: str) -> None:
        self.by_unit: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)  # ind, unit, grain
        self.by_period: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)  # ind, period, value_type
        self.by_series: dict[tuple[str, str], list[Figure]] = defaultdict(list)  # ind, unit
        for f in combined.values():
            self.by_unit[(f.indicator_code, f.admin_unit_code, f.period_grain)].append(f)
            self.by_series[(f.indicator_code, f.admin_unit_code)].append(f)
            if f.admin_unit_code != district:
                self.by_period[(f.indicator_code, f.period_code, f.value_type)].append(f)
        self._history: dict[tuple[str, str, str, str], dict[str, Figure]] = {}
        self._series: dict[tuple[str, str, str], tuple[dict[str, Figure], list[date], list[Figure]]] = {}

    def history(self, ind: str, unit: str, grain: str, value_type: str) -> dict[str, Figure]:
        """The unit's figures of one grain, one per period, preferring ``value_type``."""
        key = (ind, unit, grain, value_type)
        if key not in self._history:
            self._history[key] = _preferred(self.by_unit[key[:3]], value_type)
        return self._history[key]

    def series(self, ind: str, unit: str, value_type: str) -> tuple[dict[str, Figure], list[date], list[Figure]]:
        """The unit's figures of every grain, one per period, preferring ``value_type``; and the
        same figures by period end (then start), with their ends, for :meth:`latest_before`."""
        key = (ind, unit, value_type)
        if key not in self._series:
            chosen = _preferred(self.by_series[key[:2]], value_type)
            # Ascending by (end, start); among equal keys the first in ``chosen`` comes last,
            # since that is the one ``max`` would return.
            ordered = [
                f for _, _, _, f in sorted((f.period_end, f.period_start, -n, f) for n, f in enumerate(chosen.values()))
            ]
            self._series[key] = (chosen, [f.period_end for f in ordered], ordered)
        return self._series[key]

    def latest_before(self, ind: str, unit: str, value_type: str, day: date) -> Figure | None:
        """The series' figure that ended last (then started last) before ``day``."""
        _, ends, ordered = self.series(ind, unit, value_type)
        count = bisect_left(ends, day)
        return ordered[count - 1] if count else None


class _BandGroups:
    """The groups rows take their bands from, each once: values in the order the definition
    reads them (``_band`` of the same list gives the same floats), and where each member is."""

    def __init__(self, by: str) -> None:
        self.by = by  # the field that names a member: period_code or admin_unit_code
        self.ids: dict[tuple[str, ...], int] = {}
        self.values: list[list[float]] = []
        self.floors: list[float] = []
        self.positions: list[dict[str, int]] = []

    def add(self, key: tuple[str, ...], figures: Iterable[Figure], whole: bool) -> int:
        self.ids[key] = len(self.values)
        members = list(figures)
        self.values.append([f.value for f in members])
        self.floors.append(1.0 if whole else 0.0)
        self.positions.append({getattr(f, self.by): n for n, f in enumerate(members)})
        return self.ids[key]

    def bands(self, group: list[int], left_out: list[int], plausibility: Plausibility) -> tuple[Any, Any]:
        """Low and high bound for each request (group, member left out or -1), NaN for none."""
        group_at = np.array(group, dtype=np.intp)
        return _leave_one_out_bands(
            self.values,
            group_at,
            np.array(left_out, dtype=np.intp),
            np.array(self.floors, dtype=np.float64)[group_at],
            plausibility.mad_k,
            plausibility.min_points,
        )


def _floats(values: list[float | None]) -> Any:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


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

    combined = _figures(rows, list(history))
    district = cat.district().code
    groups = _Groups(combined, district)
    traits = {code: _traits(cat.indicators.get(code)) for code in {r.indicator_code for r in rows}}

    columns: dict[str, Any] = _own_columns(rows, cat, set(tracked_years))
    columns["denominator_value"] = _denominators(rows, dict(pairs))
    columns.update(_coverage(rows, cat, traits, unit_scope or {}, district))
    columns.update(_bands(rows, groups, traits, district, plausibility))
    columns.update(_previous(rows, groups, traits, plausibility.jump_factor))
    columns["breakdown_total"] = _breakdowns(rows, cat, groups, unit_scope or {}, district)

    # Every column of FLOAT_COLUMNS is a float64 array already (NaN where there is nothing);
    # the others are lists, from which pandas infers the same types as it always did.
    return pd.DataFrame({name: columns[name] for name in COLUMNS}, index=range(len(rows)))


def _own_columns(rows: list[ParsedRow], cat: catalog_mod.Catalog, years: set[int]) -> dict[str, Any]:
    """The row's own fields, and the unit's level read from the catalog."""
    units = {r.admin_unit_code: cat.units.get(r.admin_unit_code) for r in rows}
    levels = [u.unit_type if (u := units[r.admin_unit_code]) else None for r in rows]
    known = {r.indicator_code for r in rows if cat.indicators.get(r.indicator_code)}
    return {
        "sheet_name": [r.sheet_name for r in rows],
        "source_row": [r.source_row for r in rows],
        "indicator_code": [r.indicator_code for r in rows],
        "admin_unit_code": [r.admin_unit_code for r in rows],
        "unit_level": levels,
        "indicator_level": [
            f"{r.indicator_code} {units[r.admin_unit_code].unit_type}"
            if units[r.admin_unit_code] and r.indicator_code in known
            else None
            for r in rows
        ],
        "period_code": [r.period_code for r in rows],
        "period_grain": [r.period_grain for r in rows],
        "period_year": [str(r.period_start.year) for r in rows],
        # Only a known unit in a tracked year gets a key; other checks say what is wrong.
        "unit_in_year": [
            f"{r.admin_unit_code} {r.period_start.year}"
            if r.admin_unit_code in cat.units and r.period_start.year in years
            else None
            for r in rows
        ],
        "value": _floats([float(r.value) if r.value is not None else None for r in rows]),
        "value_fraction": _floats([float(abs(r.value) % 1) if r.value is not None else None for r in rows]),
        "value_type": [r.value_type for r in rows],
    }


def _denominators(rows: list[ParsedRow], denominators: dict[str, str]) -> Any:
    """The value of the row's denominator given in the same file (the last row of its key)."""
    if not denominators:
        return np.full(len(rows), math.nan)
    in_file = {(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type): r for r in rows}
    found: list[float | None] = []
    for r in rows:
        code = denominators.get(r.indicator_code)
        den = in_file.get((code, r.admin_unit_code, r.period_code, r.value_type)) if code else None
        found.append(float(den.value) if den is not None else None)
    return _floats(found)


def _coverage(
    rows: list[ParsedRow], cat: catalog_mod.Catalog, traits: dict[str, _Traits], scopes: dict[str, str], district: str
) -> dict[str, Any]:
    """How many of the units a commune-level indicator expects the file reports, and which not."""
    reported: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rows:
        if r.admin_unit_code != district:
            reported[(r.indicator_code, r.period_code, r.value_type)].add(r.admin_unit_code)
    memo: dict[tuple[str, str, str, date], tuple[int, int, str]] = {}
    got_reported: list[int | None] = []
    got_expected: list[int | None] = []
    missing: list[str | None] = []
    for r in rows:
        if not (
            traits[r.indicator_code].commune_level and r.admin_unit_code != district and r.indicator_code in scopes
        ):
            got_reported.append(None)
            got_expected.append(None)
            missing.append(None)
            continue
        key = (r.indicator_code, r.period_code, r.value_type, r.period_end)
        if key not in memo:
            expected = _expected_units(cat, scopes[r.indicator_code], r.period_end)
            got = reported[key[:3]]
            memo[key] = (
                sum(1 for u in expected if u.code in got),
                len(expected),
                ", ".join(u.name_vi for u in expected if u.code not in got),
            )
        count, total, names = memo[key]
        got_reported.append(count)
        got_expected.append(total)
        missing.append(names)
    return {"units_reported": _floats(got_reported), "units_expected": _floats(got_expected), "missing_units": missing}


def _bands(
    rows: list[ParsedRow], groups: _Groups, traits: dict[str, _Traits], district: str, plausibility: Plausibility
) -> dict[str, Any]:
    """Each row's band from its own series' other periods (history) and from the other units'
    figures for the same period (peers; units only, and only for a known indicator)."""
    history, peers = _BandGroups("period_code"), _BandGroups("admin_unit_code")
    hist_group: list[int] = []
    hist_out: list[int] = []
    peer_rows: list[int] = []
    peer_group: list[int] = []
    peer_out: list[int] = []
    for i, r in enumerate(rows):
        t = traits[r.indicator_code]
        key = (r.indicator_code, r.admin_unit_code, r.period_grain, r.value_type)
        g = history.ids.get(key)
        if g is None:
            g = history.add(key, groups.history(*key).values(), t.whole)
        hist_group.append(g)
        hist_out.append(history.positions[g].get(r.period_code, -1))
        if t.known and r.admin_unit_code != district:
            key = (r.indicator_code, r.period_code, r.value_type)
            g = peers.ids.get(key)
            if g is None:
                g = peers.add(key, groups.by_period.get(key, []), t.whole)
            peer_rows.append(i)
            peer_group.append(g)
            peer_out.append(peers.positions[g].get(r.admin_unit_code, -1))
    hist_low, hist_high = history.bands(hist_group, hist_out, plausibility)
    peer_low, peer_high = np.full(len(rows), math.nan), np.full(len(rows), math.nan)
    peer_low[peer_rows], peer_high[peer_rows] = peers.bands(peer_group, peer_out, plausibility)
    return {"hist_low": hist_low, "hist_high": hist_high, "peer_low": peer_low, "peer_high": peer_high}


def _previous(rows: list[ParsedRow], groups: _Groups, traits: dict[str, _Traits], factor: float) -> dict[str, Any]:
    """The figure before the row's: last month's for a monthly flow (with the jump band), and
    the latest earlier one for a cumulative count."""
    prev_value, jump_low, jump_high, prev_stock = (np.full(len(rows), math.nan) for _ in range(4))
    for i, r in enumerate(rows):
        t = traits[r.indicator_code]
        if t.monthly_flow and r.period_grain == "month":
            chosen, _, _ = groups.series(r.indicator_code, r.admin_unit_code, r.value_type)
            prev = chosen.get(_prev_month(r.period_start))
            if prev is not None and prev.period_grain == "month" and prev.value > 0:
                prev_value[i], jump_low[i], jump_high[i] = prev.value, prev.value / factor, prev.value * factor
        if t.cumulative:
            earlier = groups.latest_before(r.indicator_code, r.admin_unit_code, r.value_type, r.period_start)
            if earlier is not None:
                prev_stock[i] = prev_value[i] = earlier.value
    return {"prev_value": prev_value, "jump_low": jump_low, "jump_high": jump_high, "prev_stock": prev_stock}


def _breakdowns(
    rows: list[ParsedRow], cat: catalog_mod.Catalog, groups: _Groups, scopes: dict[str, str], district: str
) -> Any:
    """For a district total of an additive indicator, the units' sum to hold it against."""
    totals = np.full(len(rows), math.nan)
    for i, r in enumerate(rows):
        if r.admin_unit_code != district or r.value is None:
            continue
        ind = cat.indicators.get(r.indicator_code)
        if ind and ind.additive:
            units = groups.by_period.get((r.indicator_code, r.period_code, r.value_type), [])
            total = _breakdown_total(cat, ind, units, scopes.get(ind.code, "all"), r.period_end, float(r.value))
            if total is not None:
                totals[i] = total
    return totals
