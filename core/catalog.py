"""The catalog (targets, indicators, units of area, offices) read from the dbt seed files.

One source of truth: ``dbt/seeds/catalog/*.csv``. dbt loads the same files as seeds.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from core import vocabulary
from core.settings import CATALOG_DIR

# The attainment statuses the marts assign, with their Vietnamese labels, and the levels a
# figure may be given at (unit types) in the words of the templates and messages: both are
# rows of the vocabulary seed (core.vocabulary), which dbt loads too.
STATUS_VI = vocabulary.labels_vi(vocabulary.ATTAINMENT_STATUS)
UNIT_LEVEL_VI = vocabulary.labels_vi(vocabulary.UNIT_LEVEL)


def levels_vi(levels: tuple[str, ...]) -> str:
    """The levels an indicator is reported at, in words: 'toàn huyện, thị trấn hoặc từng xã'."""
    words = [UNIT_LEVEL_VI[level] for level in UNIT_LEVEL_VI if level in levels]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " hoặc " + words[-1]


def _rows(name: str, folder: Path | None = None) -> list[dict[str, str]]:
    with open((folder or CATALOG_DIR) / name, encoding="utf-8", newline="") as handle:
        return [
            {key: unicodedata.normalize("NFC", value or "") for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class Office:
    code: str
    name_vi: str
    name_en: str
    email: str
    submits: bool


@dataclass(frozen=True)
class LevelBound:
    """One level an indicator may be reported at (a unit type) and the valid range there."""

    unit_type: str  # huyen | thi_tran | xa
    value_min: Decimal
    value_max: Decimal


@dataclass(frozen=True)
class Indicator:
    code: str
    name_vi: str
    name_en: str
    unit: str
    level: str  # district | commune
    aggregation: str  # flow | stock
    value_kind: str  # amount | count | flag | percent
    frequency: str  # monthly | quarterly | yearly
    due_day: int
    due_month_offset: int
    office_code: str
    cumulative: bool  # a running count that only grows (certified units); a fall is worth a warning
    bounds: tuple[LevelBound, ...] = ()  # the levels a figure may be given at, with their valid range

    @property
    def levels(self) -> tuple[str, ...]:
        """Unit types (huyen, thi_tran, xa) a figure of this indicator may name."""
        return tuple(b.unit_type for b in self.bounds)

    def bound_at(self, unit_type: str) -> LevelBound | None:
        return next((b for b in self.bounds if b.unit_type == unit_type), None)

    @property
    def value_min(self) -> Decimal:
        """The smallest value valid at any level (for a template's single range)."""
        return min(b.value_min for b in self.bounds)

    @property
    def value_max(self) -> Decimal:
        """The largest value valid at any level."""
        return max(b.value_max for b in self.bounds)

    @property
    def additive(self) -> bool:
        """Units' figures add up to the district's: the catalog offers both levels only where they do."""
        return "huyen" in self.levels and any(level != "huyen" for level in self.levels)


@dataclass(frozen=True)
class Target:
    plan_year: int
    code: str
    sort_order: int
    area: str
    name_vi: str
    name_en: str
    kind: str
    target_value: Decimal
    target_value_high: Decimal | None
    unit: str
    measure: str
    indicator_code: str
    denominator_code: str | None
    unit_scope: str
    responsible_office: str
    needs_baseline: bool
    note: str
    decree_text_vi: str  # the decree's own wording; name_vi is the display name (capitalised, "Sở")


@dataclass(frozen=True)
class AdminUnit:
    code: str
    name_vi: str
    unit_type: str  # huyen | thi_tran | xa
    official_code: str
    parent_code: str
    villages_total: int | None
    valid_from: date
    valid_to: date
    successor_code: str | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class Alias:
    alias: str
    unit_code: str


@dataclass(frozen=True)
class Catalog:
    offices: dict[str, Office]
    indicators: dict[str, Indicator]
    targets: tuple[Target, ...]
    units: dict[str, AdminUnit]
    aliases: tuple[Alias, ...]

    def targets_for(self, plan_year: int) -> list[Target]:
        return sorted((t for t in self.targets if t.plan_year == plan_year), key=lambda t: t.sort_order)

    def plan_years(self) -> list[int]:
        return sorted({t.plan_year for t in self.targets})

    def indicators_of(self, office_code: str) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.office_code == office_code]

    def district(self) -> AdminUnit:
        return next(u for u in self.units.values() if u.unit_type == "huyen")

    def communes_on(self, day: date) -> list[AdminUnit]:
        """The town and the communes valid on ``day`` (not the district)."""
        return [u for u in self.units.values() if u.unit_type != "huyen" and u.valid_on(day)]


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def load(folder: Path | None = None) -> Catalog:
    """Read the catalog files (``folder`` defaults to the project's seeds)."""
    offices = {
        r["office_code"]: Office(r["office_code"], r["name_vi"], r["name_en"], r["email"], r["submits"] == "true")
        for r in _rows("offices.csv", folder)
    }
    bounds: dict[str, list[LevelBound]] = {}
    for r in _rows("indicator_levels.csv", folder):
        bounds.setdefault(r["indicator_code"], []).append(
            LevelBound(r["unit_type"], Decimal(r["value_min"]), Decimal(r["value_max"]))
        )
    indicators = {
        r["indicator_code"]: Indicator(
            code=r["indicator_code"],
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            unit=r["unit"],
            level=r["level"],
            aggregation=r["aggregation"],
            value_kind=r["value_kind"],
            frequency=r["frequency"],
            due_day=int(r["due_day"]),
            due_month_offset=int(r["due_month_offset"]),
            office_code=r["office_code"],
            cumulative=r["cumulative"] == "true",
            bounds=tuple(bounds.get(r["indicator_code"], [])),
        )
        for r in _rows("indicators.csv", folder)
    }
    targets = tuple(
        Target(
            plan_year=int(r["plan_year"]),
            code=r["target_code"],
            sort_order=int(r["sort_order"]),
            area=r["area"],
            name_vi=r["name_vi"],
            name_en=r["name_en"],
            kind=r["kind"],
            target_value=Decimal(r["target_value"]),
            target_value_high=_decimal(r["target_value_high"]),
            unit=r["unit"],
            measure=r["measure"],
            indicator_code=r["indicator_code"],
            denominator_code=r["denominator_code"] or None,
            unit_scope=r["unit_scope"],
            responsible_office=r["responsible_office"],
            needs_baseline=r["needs_baseline"] == "true",
            note=r["note"],
            decree_text_vi=r["decree_text_vi"],
        )
        for r in _rows("plan_targets.csv", folder)
    )
    units = {
        r["unit_code"]: AdminUnit(
            code=r["unit_code"],
            name_vi=r["name_vi"],
            unit_type=r["unit_type"],
            official_code=r["official_code"],
            parent_code=r["parent_code"],
            villages_total=int(r["villages_total"]) if r["villages_total"] else None,
            valid_from=date.fromisoformat(r["valid_from"]),
            valid_to=date.fromisoformat(r["valid_to"]),
            successor_code=r["successor_code"] or None,
        )
        for r in _rows("admin_units.csv", folder)
    }
    aliases = tuple(Alias(r["alias"], r["unit_code"]) for r in _rows("admin_unit_aliases.csv", folder))
    return Catalog(offices, indicators, targets, units, aliases)


@cache
def default() -> Catalog:
    """The project's catalog, read once per process."""
    return load()
