"""Fill an expectation's message templates for one row, in words office staff use."""

from __future__ import annotations

import math
import re
import string
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core import catalog as catalog_mod
from core.calendar import period_label_vi

VALUE_TYPE_VI = {"estimate": "ước", "actual": "chính thức"}


class LenientFields(dict):
    """Unknown placeholders render as '?' instead of raising (a template bug must not lose a problem)."""

    def __missing__(self, key: str) -> str:
        return "?"


def fmt_vi(value: Any) -> str:
    """A number the Vietnamese way: 17.600 and 8,5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return f"{int(value):,}".replace(",", ".")  # the common case, without a Decimal
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    text = f"{float(number):,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def unit_label(cat: catalog_mod.Catalog, code: str) -> str:
    unit = cat.units.get(code)
    if unit is None:
        return code
    if unit.unit_type == "huyen":
        return "toàn huyện"
    return f"xã {unit.name_vi}" if unit.unit_type == "xa" else unit.name_vi


def office_label(cat: catalog_mod.Catalog, code: str | None) -> str:
    office = cat.offices.get(code or "")
    return office.name_vi if office else (code or "?")


class RowFields(LenientFields):
    """Every placeholder a submission template may use, for one frame row, each worked out on
    first use: a file can fail one rule on 100,000 rows, and a template uses a few fields."""

    def __init__(self, cat: catalog_mod.Catalog, office_code: str, row: Mapping[str, Any]) -> None:
        super().__init__()
        self._cat, self._office, self._row = cat, office_code, row

    def __missing__(self, key: str) -> Any:
        field = _FIELDS.get(key)
        if field is None:
            return "?"
        value = self[key] = field(self._cat, self._office, self._row)
        return value


def row_context(cat: catalog_mod.Catalog, office_code: str, row: Mapping[str, Any]) -> RowFields:
    """The placeholders of one frame row (see :class:`RowFields`)."""
    return RowFields(cat, office_code, row)


@lru_cache(maxsize=4096)
def _period_vi(code: str) -> str:
    return period_label_vi(code)


def _indicator(cat: catalog_mod.Catalog, row: Mapping[str, Any]) -> catalog_mod.Indicator | None:
    return cat.indicators.get(row.get("indicator_code") or "")


def _successor_hint(cat: catalog_mod.Catalog, row: Mapping[str, Any]) -> str:
    unit = cat.units.get(row.get("admin_unit_code") or "")
    successor = cat.units.get(unit.successor_code) if unit and unit.successor_code else None
    return f" (đã sáp nhập vào {unit_label(cat, successor.code)})" if successor else ""


def _column(column: str) -> Callable[[catalog_mod.Catalog, str, Mapping[str, Any]], Any]:
    return lambda cat, office, row: row.get(column)


def _number(column: str) -> Callable[[catalog_mod.Catalog, str, Mapping[str, Any]], str]:
    return lambda cat, office, row: fmt_vi(row.get(column))


def _band_edge(column: str) -> Callable[[catalog_mod.Catalog, str, Mapping[str, Any]], str]:
    def edge(cat: catalog_mod.Catalog, office: str, row: Mapping[str, Any]) -> str:
        value = row.get(column)
        return fmt_vi(max(value, 0) if value is not None else None)

    return edge


def _owner(cat: catalog_mod.Catalog, row: Mapping[str, Any]) -> str | None:
    ind = _indicator(cat, row)
    return ind.office_code if ind else None


_FIELDS: dict[str, Callable[[catalog_mod.Catalog, str, Mapping[str, Any]], Any]] = {
    "row": _column("source_row"),
    "sheet": _column("sheet_name"),
    "indicator": _column("indicator_code"),
    "indicator_name": lambda cat, office, row: (
        ind.name_vi if (ind := _indicator(cat, row)) else row.get("indicator_code")
    ),
    "unit": _column("admin_unit_code"),
    "unit_name": lambda cat, office, row: unit_label(cat, row.get("admin_unit_code") or ""),
    "period": _column("period_code"),
    "period_vi": lambda cat, office, row: _period_vi(row.get("period_code") or ""),
    "value": _number("value"),
    "value_type": _column("value_type"),
    "value_type_vi": lambda cat, office, row: VALUE_TYPE_VI.get(row.get("value_type") or "", row.get("value_type")),
    "office": lambda cat, office, row: office,
    "office_vi": lambda cat, office, row: office_label(cat, office),
    "owner_office": lambda cat, office, row: _owner(cat, row) or "?",
    "owner_office_vi": lambda cat, office, row: office_label(cat, _owner(cat, row)),
    "successor_hint": lambda cat, office, row: _successor_hint(cat, row),
    "denominator": lambda cat, office, row: None,
    "denominator_value": _number("denominator_value"),
    "units_reported": lambda cat, office, row: _int(row.get("units_reported")),
    "units_expected": lambda cat, office, row: _int(row.get("units_expected")),
    "missing_units": lambda cat, office, row: row.get("missing_units") or "",
    "missing": lambda cat, office, row: row.get("missing_units") or "",
    "prev_value": _number("prev_value"),
    "breakdown_total": _number("breakdown_total"),
    "levels_vi": lambda cat, office, row: catalog_mod.levels_vi(ind.levels) if (ind := _indicator(cat, row)) else "?",
    **{column: _band_edge(column) for column in ("hist_low", "hist_high", "peer_low", "peer_high")},
}


def _int(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value))


def render(template: str, ctx: dict[str, Any]) -> str:
    return unicodedata.normalize(
        "NFC", template.format_map(ctx if isinstance(ctx, LenientFields) else LenientFields(ctx))
    )


class Renderer:
    """:func:`render` that renders each distinct message once.

    A rule failing on many rows often says the same words for many of them (a repeated key
    names all its rows in each row's message): those rows share one string, which keeps a
    file that fails on 100,000 rows from holding 100,000 copies."""

    def __init__(self) -> None:
        self._done: dict[tuple[str, tuple[Any, ...]], str] = {}

    def __call__(self, template: str, ctx: dict[str, Any]) -> str:
        key = (template, tuple(ctx[name] for name in _placeholders(template)))
        text = self._done.get(key)
        if text is None:
            text = self._done[key] = render(template, ctx)
        return text


@lru_cache(maxsize=1024)
def _placeholders(template: str) -> tuple[str, ...]:
    """The fields a template reads, by their root name ('a' of '{a.b}' or '{a[0]:>3}')."""
    names = []
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            names.append(re.split(r"[.\[]", field, maxsplit=1)[0])
    return tuple(dict.fromkeys(names))
