"""Fill an expectation's message templates for one row, in words office staff use."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
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


def row_context(cat: catalog_mod.Catalog, office_code: str, row: dict[str, Any]) -> dict[str, Any]:
    """Every placeholder a submission template may use, for one frame row."""
    ind = cat.indicators.get(row.get("indicator_code") or "")
    unit = cat.units.get(row.get("admin_unit_code") or "")
    successor = cat.units.get(unit.successor_code) if unit and unit.successor_code else None
    den_code = None
    ctx = LenientFields(
        row=row.get("source_row"),
        sheet=row.get("sheet_name"),
        indicator=row.get("indicator_code"),
        indicator_name=ind.name_vi if ind else row.get("indicator_code"),
        unit=row.get("admin_unit_code"),
        unit_name=unit_label(cat, row.get("admin_unit_code") or ""),
        period=row.get("period_code"),
        period_vi=period_label_vi(row.get("period_code") or ""),
        value=fmt_vi(row.get("value")),
        value_type=row.get("value_type"),
        value_type_vi=VALUE_TYPE_VI.get(row.get("value_type") or "", row.get("value_type")),
        office=office_code,
        office_vi=office_label(cat, office_code),
        owner_office=ind.office_code if ind else "?",
        owner_office_vi=office_label(cat, ind.office_code if ind else None),
        successor_hint=f" (đã sáp nhập vào {unit_label(cat, successor.code)})" if successor else "",
        denominator=den_code,
        denominator_value=fmt_vi(row.get("denominator_value")),
        units_reported=_int(row.get("units_reported")),
        units_expected=_int(row.get("units_expected")),
        missing_units=row.get("missing_units") or "",
        missing=row.get("missing_units") or "",
        prev_value=fmt_vi(row.get("prev_value")),
        breakdown_total=fmt_vi(row.get("breakdown_total")),
        levels_vi=catalog_mod.levels_vi(ind.levels) if ind else "?",
    )
    for column in ("hist_low", "hist_high", "peer_low", "peer_high"):
        ctx[column] = fmt_vi(max(row.get(column), 0) if row.get(column) is not None else None)
    return ctx


def _int(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(int(value))


def render(template: str, ctx: dict[str, Any]) -> str:
    return unicodedata.normalize(
        "NFC", template.format_map(ctx if isinstance(ctx, LenientFields) else LenientFields(ctx))
    )
