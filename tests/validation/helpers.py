"""Builders of parsed rows for the validation tests."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import Decimal

from core import catalog
from ingest.model import ParsedRow


def period(code: str) -> tuple[str, date, date]:
    """(grain, start, end) of '2022', '2022-Q2' or '2022-05'."""
    if "-Q" in code:
        year, q = int(code[:4]), int(code[-1])
        start = date(year, 3 * q - 2, 1)
        end_month = 3 * q
        return "quarter", start, date(year, end_month, monthrange(year, end_month)[1])
    if "-" in code:
        year, month = int(code[:4]), int(code[5:])
        return "month", date(year, month, 1), date(year, month, monthrange(year, month)[1])
    year = int(code)
    return "year", date(year, 1, 1), date(year, 12, 31)


class Sheet:
    """Appends rows numbered like a spreadsheet (header on row 1)."""

    def __init__(self, name: str = "Số liệu") -> None:
        self.name = name
        self.rows: list[ParsedRow] = []

    def add(self, indicator: str, unit: str, period_code: str, value, value_type: str = "actual") -> int:
        grain, start, end = period(period_code)
        row = len(self.rows) + 2
        self.rows.append(
            ParsedRow(self.name, row, indicator, unit, period_code, grain, start, end, Decimal(str(value)), value_type)
        )
        return row


def communes(day: date = date(2022, 6, 30), unit_type: str | None = None) -> list[str]:
    units = catalog.default().communes_on(day)
    return sorted(u.code for u in units if unit_type is None or u.unit_type == unit_type)
