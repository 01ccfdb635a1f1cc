"""Turn a planned submission into file bytes: the office template, a long sheet, or csv.

Files are written the way offices really write them: numbers as numbers or as Vietnamese
text (``17.600``, ``8,5``) under a header that declares the style, periods as codes or as
words (``Quý 2/2022``), units with or without their ``Xã`` prefix. Every file says it is
synthetic, and the bytes depend only on the content (fixed workbook timestamps).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from core import calendar
from core.catalog import Catalog
from ingest.templates import (
    DATA_SHEET,
    HEADERS,
    build_workbook,
    fill_rows,
)
from ingest.workbook_bytes import stable_bytes
from sampledata.plan import Row, Submission

SYNTHETIC_VI = "DỮ LIỆU MÔ PHỎNG (SYNTHETIC) - không phải số liệu thật"
NOTE = "SYNTHETIC - dữ liệu mô phỏng"
HEADERS_EN = ("indicator", "admin_unit", "period", "value", "value_type", "note")
VALUE_TYPE_TEXT = {
    "vi": {"actual": "chính thức", "estimate": "ước"},
    "en": {"actual": "actual", "estimate": "estimate"},
}


def vi_number(value: Decimal, decimals: bool) -> str:
    """Vietnamese style: ``.`` groups thousands, ``,`` marks decimals (amounts keep one decimal)."""
    whole, _, frac = format(value, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    frac = frac.rstrip("0")
    if decimals and not frac:
        frac = "0"
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def intl_number(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def period_text(code: str, style: str) -> str:
    """``2022-Q2`` -> ``Quý 2/2022``, ``2022-05`` -> ``Tháng 5/2022`` in the 'words' style (the calendar's labels)."""
    if style != "words" or len(code) == 4:
        return code
    return calendar.period_label_vi(code, capital=True)


def unit_text(cat: Catalog, code: str, style: str) -> str:
    unit = cat.units[code]
    if unit.unit_type == "huyen":
        return "Toàn huyện" if style == "prefixed" else unit.name_vi
    if style == "prefixed" and unit.unit_type == "xa":
        return f"Xã {unit.name_vi}"
    return unit.name_vi


def _cells(cat: Catalog, row: Row, style: Sequence[str]) -> list[object]:
    _, _, numbers, language, periods, units = style
    kind = cat.indicators[row.indicator].value_kind
    if numbers == "vi":
        value: object = vi_number(row.value, kind in ("amount", "percent"))
    elif numbers == "intl":
        value = intl_number(row.value)
    else:
        value = float(row.value)
    note = f"{row.note} - {NOTE}" if row.note else NOTE
    return [
        row.indicator,
        unit_text(cat, row.unit, units),
        period_text(row.period, periods),
        value,
        VALUE_TYPE_TEXT[language][row.value_type],
        note,
    ]


def _headers(style: Sequence[str]) -> list[str]:
    headers = list(HEADERS_EN if style[3] == "en" else HEADERS)
    if style[2] == "vi":
        headers[3] = f"{headers[3]} (1.234,5)"  # declares the Vietnamese number style
    elif style[2] == "intl":
        headers[3] = f"{headers[3]} (1,234.5)"
    return headers


_TEMPLATES: dict[tuple[str, int, int], bytes] = {}


def _template_bytes(office: str, plan_year: int, cat: Catalog) -> bytes:
    key = (office, plan_year, id(cat))
    if key not in _TEMPLATES:
        _TEMPLATES[key] = stable_bytes(build_workbook(office, plan_year, cat))
    return _TEMPLATES[key]


def render_template(cat: Catalog, sub: Submission, plan_year: int) -> bytes:
    wb = load_workbook(io.BytesIO(_template_bytes(sub.office, plan_year, cat)))
    ws = wb[DATA_SHEET]
    ws["A1"] = f"{ws['A1'].value} - {SYNTHETIC_VI}"
    fill_rows(wb, (_cells(cat, row, sub.style) for row in sub.rows))
    return stable_bytes(wb, _stamp(sub))


def render_long_xlsx(cat: Catalog, sub: Submission, plan_year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws["A1"] = f"BÁO CÁO SỐ LIỆU CHỈ TIÊU NĂM {plan_year} - {cat.offices[sub.office].name_vi}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = SYNTHETIC_VI
    ws.append([])
    ws.append(_headers(sub.style))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in sub.rows:
        ws.append(_cells(cat, row, sub.style))
    for col, width in zip("ABCDEF", (32, 22, 14, 18, 14, 40), strict=True):
        ws.column_dimensions[col].width = width
    return stable_bytes(wb, _stamp(sub))


def render_csv(cat: Catalog, sub: Submission) -> bytes:
    vi = sub.style[2] == "vi"
    buffer = io.StringIO()
    # Vietnamese exports quote every field: decimal commas then never pass for delimiters.
    quoting = csv.QUOTE_ALL if vi else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, delimiter=";" if vi else ",", lineterminator="\r\n", quoting=quoting)
    writer.writerow(_headers(sub.style))
    for row in sub.rows:
        writer.writerow(_cells(cat, row, sub.style))
    # Excel's "CSV UTF-8" starts with a byte-order mark; exports from systems usually do not.
    return buffer.getvalue().encode("utf-8-sig" if vi else "utf-8")


def render(cat: Catalog, sub: Submission, plan_year: int) -> bytes:
    layout, fmt = sub.style[0], sub.style[1]
    if fmt == "csv":
        return render_csv(cat, sub)
    if layout == "template":
        return render_template(cat, sub, plan_year)
    return render_long_xlsx(cat, sub, plan_year)


def _stamp(sub: Submission) -> datetime:
    return sub.submitted_at
