"""Units of area named the way office staff write them, resolved to catalog codes.

Names match with or without tone marks, in any case and spacing, with or without the
prefixes `Xã`, `X.`, `TT`, `Thị trấn`, by alias (`huyện`, `toàn huyện`, `district`) or by
official code. A unit that no longer existed in the period maps to its successor (with a
warning); one dissolved without a successor cannot be placed and is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.catalog import AdminUnit, Catalog
from ingest.text import fold, loose_key, nfc

FOUND = "found"
SUCCESSOR = "successor"  # an old name mapped to the unit that replaced it
DISSOLVED = "dissolved"  # no unit carries on
UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous"

# Prefixes people put before a commune or town name (matched on the folded text).
_PREFIX = re.compile(r"^(?:xa|x|thi tran|tt|phuong|p)\s+")


@dataclass(frozen=True)
class Resolution:
    status: str  # FOUND | SUCCESSOR | DISSOLVED | UNKNOWN | AMBIGUOUS
    code: str | None = None  # the code to load under
    original_code: str | None = None  # the unit named, when it was replaced or dissolved
    original_name: str | None = None


_MEMO_SIZE = 8192


class UnitResolver:
    """Index of the catalog's units by every spelling we accept."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        for unit in catalog.units.values():
            self._add(unit.name_vi, unit.code)
            # Codes match only as written (any case): folded, `VAN_QUAN` would meet `Văn Quan`.
            for code in (unit.code, unit.official_code):
                if code:
                    self._exact.setdefault(loose_key(code), set()).add(unit.code)
        for alias in catalog.aliases:
            self._add(alias.alias, alias.unit_code)
        self._memo: dict[tuple[str, date | None], Resolution] = {}

    def _add(self, name: str, code: str) -> None:
        self._exact.setdefault(loose_key(name), set()).add(code)
        self._folded.setdefault(fold(name), set()).add(code)

    def _candidates(self, text: str) -> set[str]:
        """Codes a text can mean: exact spelling first, then without marks, then without prefix."""
        key = loose_key(text)
        if key in self._exact:
            return self._exact[key]
        folded = fold(text)
        if folded in self._folded:
            return self._folded[folded]
        bare = _PREFIX.sub("", folded)
        if bare != folded and bare:
            # `TT Văn Quan` is the town, `Xã Văn An` a commune: retry the bare name.
            exact_bare = loose_key(re.sub(r"^\s*(?:xã|x\.|thị trấn|tt\.?)\s*", "", nfc(text), flags=re.I))
            if exact_bare in self._exact:
                return self._exact[exact_bare]
            return self._folded.get(bare, set())
        return set()

    def resolve(self, text: str, period_start: date | None = None) -> Resolution:
        """Resolve a name or code; with the period's start date, follow mergers."""
        # A file names the same units on every row: resolve each (name, period start) once.
        key = (text, period_start)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= _MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = self._resolve(text, period_start)
        return found

    def _resolve(self, text: str, period_start: date | None) -> Resolution:
        codes = self._candidates(text)
        if not codes:
            return Resolution(UNKNOWN)
        if len(codes) > 1:
            return Resolution(AMBIGUOUS)
        unit = self.catalog.units[next(iter(codes))]
        if period_start is None or period_start <= unit.valid_to:
            return Resolution(FOUND, unit.code)
        successor = self._successor_on(unit, period_start)
        if successor is None:
            return Resolution(DISSOLVED, None, unit.code, unit.name_vi)
        return Resolution(SUCCESSOR, successor.code, unit.code, unit.name_vi)

    def _successor_on(self, unit: AdminUnit, day: date) -> AdminUnit | None:
        """Follow successor links until a unit valid on `day` (or the chain ends)."""
        seen = {unit.code}
        current = unit
        while current.successor_code and current.successor_code not in seen:
            current = self.catalog.units[current.successor_code]
            seen.add(current.code)
            if current.valid_on(day) or day <= current.valid_to:
                return current
        return None

    def name_of(self, code: str) -> str:
        unit = self.catalog.units.get(code)
        return unit.name_vi if unit else code
