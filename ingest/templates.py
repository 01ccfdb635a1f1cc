"""Excel templates the offices fill in: one workbook per office and plan year.

The template is the friendliest way to meet the submission contract: its data sheet uses
the canonical long layout (the spec's Vietnamese headers), offers drop-down lists of the
office's own indicator codes, the units of area, the periods and the kinds of figure, and
refuses values outside each indicator's range before the file ever reaches the platform.
A hidden ``_meta`` sheet tells the reader (``ingest.parse``) which template this is.

CLI: ``python -m ingest.templates --out DIR --year 2022``.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core import calendar
from core import catalog as catalog_mod
from core.catalog import Catalog, Indicator, levels_vi
from ingest.emulation.templates import write_template as write_emulation_template
from ingest.workbook_bytes import stable_bytes

TEMPLATE_VERSION = "vq-template-1"
GUIDE_SHEET = "Hướng dẫn"
DATA_SHEET = "Số liệu"
LISTS_SHEET = "Danh mục"
META_SHEET = "_meta"
HEADERS = ("Mã chỉ tiêu", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Ghi chú")
HEADER_ROW = 4
FIRST_DATA_ROW = HEADER_ROW + 1
DATA_ROWS = 1000  # unlocked, validated rows offered to the office
VALUE_TYPES = {"actual": "chính thức", "estimate": "ước"}
FREQUENCY_VI = {"monthly": "Hằng tháng", "quarterly": "Hằng quý", "yearly": "Hằng năm"}
LEVEL_VI = {"district": "toàn huyện", "commune": "từng xã, thị trấn"}


def levels_text(indicator: Indicator) -> str:
    """Where a figure may be given and which one is owed, e.g. 'Toàn huyện, thị trấn hoặc từng xã (nộp: toàn huyện)'."""
    words = levels_vi(indicator.levels)
    return f"{words[0].upper()}{words[1:]} (nộp: {LEVEL_VI[indicator.level]})"


# A fixed instant stamped into every generated workbook so that the same input gives the same bytes.

_INT_FORMAT = "#,##0"  # built-in number format 3
_DEC_FORMAT = "#,##0.00"  # built-in number format 4
_BUILTIN_IDS = {_INT_FORMAT: 3, _DEC_FORMAT: 4}
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def offered_periods(indicators: Sequence[Indicator], plan_year: int) -> list[str]:
    """The drop-down's periods: the plan year's, then the previous year's (baselines)."""
    codes: list[str] = []
    for year in (plan_year, plan_year - 1):
        for frequency in ("yearly", "quarterly", "monthly"):
            if frequency == "yearly" or any(i.frequency == frequency for i in indicators):
                codes += [p.code for p in calendar.periods(frequency, year)]
    return codes


def offered_units(cat: Catalog, indicators: Sequence[Indicator], plan_year: int) -> list[str]:
    """Unit names for the drop-down: the district if needed, then the town and communes valid mid-year."""
    names: list[str] = []
    if any("huyen" in i.levels for i in indicators):
        names.append(cat.district().name_vi)
    if any(level != "huyen" for i in indicators for level in i.levels):
        units = cat.communes_on(date(plan_year, 6, 30))
        units.sort(key=lambda u: (u.unit_type != "thi_tran", u.name_vi))
        names += [u.name_vi for u in units]
    return names


def number_format_of(indicator: Indicator) -> str:
    return _INT_FORMAT if indicator.value_kind in {"count", "flag"} else _DEC_FORMAT


def _plain(value: Decimal) -> str:
    """A bound written for Excel formulas (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


def _vi_number(value: Decimal) -> str:
    """Vietnamese number style for text shown to staff: 17.600 and 8,5."""
    whole, _, frac = format(value.normalize(), "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{frac}" if frac else grouped


def _example_value(indicator: Indicator) -> Decimal:
    return {"flag": Decimal(1), "percent": Decimal("61.5"), "count": Decimal(120)}.get(
        indicator.value_kind, Decimal("1250.5")
    )


def _put_row(ws: Worksheet, row: int, values: Iterable[object], font: Font | None = None) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        if font is not None:
            cell.font = font


def _lists_sheet(
    ws: Worksheet, cat: Catalog, indicators: Sequence[Indicator], units: list[str], periods: list[str]
) -> dict[str, str]:
    """Write the reference lists; return the ranges the validations point at."""
    _put_row(
        ws,
        1,
        ("Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Cấp báo cáo", "Tần suất", "Nhỏ nhất", "Lớn nhất", "Hạn nộp"),
        _BOLD,
    )
    for row, ind in enumerate(indicators, start=2):
        _put_row(
            ws,
            row,
            (
                ind.code,
                ind.name_vi,
                ind.unit,
                levels_text(ind),
                FREQUENCY_VI[ind.frequency],
                float(ind.value_min),
                float(ind.value_max),
                calendar.due_rule_vi(ind),
            ),
        )
    for header, col, values in (("Đơn vị hành chính", "J", units), ("Kỳ báo cáo", "L", periods)):
        ws[f"{col}1"] = header
        ws[f"{col}1"].font = _BOLD
        for row, value in enumerate(values, start=2):
            ws[f"{col}{row}"] = value
            ws[f"{col}{row}"].number_format = "@"
    ws["N1"] = "Loại số liệu"
    ws["N1"].font = _BOLD
    for row, value in enumerate(VALUE_TYPES.values(), start=2):
        ws[f"N{row}"] = value
    for col, width in zip("ABCDEFGHIJKLMN", (34, 60, 20, 18, 12, 10, 12, 30, 2, 22, 2, 12, 2, 14), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True
    quoted = f"'{LISTS_SHEET}'"
    last_ind = len(indicators) + 1
    return {
        "codes": f"{quoted}!$A$2:$A${last_ind}",
        "table": f"{quoted}!$A$2:$G${last_ind}",
        "units": f"{quoted}!$J$2:$J${len(units) + 1}",
        "periods": f"{quoted}!$L$2:$L${len(periods) + 1}",
        "types": f"{quoted}!$N$2:$N${len(VALUE_TYPES) + 1}",
    }


def _list_validation(source: str, what: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    dv.error = f"Vui lòng chọn {what} trong danh sách."
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.prompt = f"Chọn {what} trong danh sách."
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


def _value_validation(indicators: Sequence[Indicator], table: str) -> DataValidation:
    """Decimal validation within each row's indicator range (one range: literal bounds)."""
    bounds = {(i.value_min, i.value_max) for i in indicators}
    if len(bounds) == 1:
        low, high = (_plain(b) for b in next(iter(bounds)))
    else:
        low_all = _plain(min(i.value_min for i in indicators))
        high_all = _plain(max(i.value_max for i in indicators))
        row = f"$A{FIRST_DATA_ROW}"
        low = f"IFERROR(VLOOKUP({row},{table},6,FALSE),{low_all})"
        high = f"IFERROR(VLOOKUP({row},{table},7,FALSE),{high_all})"
    dv = DataValidation(type="decimal", operator="between", formula1=low, formula2=high, allow_blank=True)
    dv.error = "Giá trị phải là số và nằm trong giới hạn của chỉ tiêu (xem trang 'Danh mục')."
    dv.errorTitle = "Giá trị ngoài giới hạn"
    dv.prompt = "Nhập số; xem giới hạn của từng chỉ tiêu ở trang 'Danh mục'."
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


def _data_sheet(ws: Worksheet, office_name: str, office_code: str, plan_year: int) -> None:
    ws["A1"] = f"BÁO CÁO SỐ LIỆU CHỈ TIÊU NĂM {plan_year} - {office_name}"
    ws["A1"].font = _TITLE
    ws["A2"] = f"Mẫu {TEMPLATE_VERSION} - nộp vào thư mục inbox/{office_code}/"
    ws["A3"] = f"Mỗi dòng một số liệu, điền từ dòng {FIRST_DATA_ROW}. Xem trang '{GUIDE_SHEET}'."
    ws["A3"].font = Font(italic=True)
    for col, header in enumerate(HEADERS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, width in zip("ABCDEF", (34, 24, 14, 16, 14, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"


def _unlock_data_area(ws: Worksheet, value_format: str) -> None:
    unlocked = Protection(locked=False)
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW, max_row=FIRST_DATA_ROW + DATA_ROWS - 1, max_col=len(HEADERS)):
        for cell in row:
            cell.protection = unlocked
            cell.number_format = value_format if cell.column == 4 else "@"
    # Locked headers; staff may still resize and filter. No password: this only guards against slips.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _value_formats(ws: Worksheet, indicators: Sequence[Indicator]) -> str:
    """Column D's base format, with conditional formats for the office's other kinds of figure."""
    by_format: dict[str, list[str]] = {}
    for ind in indicators:
        by_format.setdefault(number_format_of(ind), []).append(ind.code)
    base = max(by_format, key=lambda f: (len(by_format[f]), f))
    area = f"D{FIRST_DATA_ROW}:D{FIRST_DATA_ROW + DATA_ROWS - 1}"
    for fmt, codes in sorted(by_format.items()):
        if fmt == base:
            continue
        test = ",".join(f'$A{FIRST_DATA_ROW}="{code}"' for code in codes)
        style = DifferentialStyle(numFmt=NumberFormat(numFmtId=_BUILTIN_IDS[fmt], formatCode=fmt))
        ws.conditional_formatting.add(area, Rule(type="expression", formula=[f"OR({test})"], dxf=style))
    return base


def _guide_sheet(
    ws: Worksheet, cat: Catalog, office_code: str, plan_year: int, indicators: Sequence[Indicator]
) -> None:
    office = cat.offices[office_code]
    lines: list[tuple[object, ...] | str] = [
        f"HƯỚNG DẪN ĐIỀN MẪU BÁO CÁO SỐ LIỆU CHỈ TIÊU NĂM {plan_year}",
        f"Đơn vị báo cáo: {office.name_vi} (mã thư mục: {office_code})",
        "",
        "1. CẦN ĐIỀN GÌ",
        f"Mỗi dòng ở trang '{DATA_SHEET}' (từ dòng {FIRST_DATA_ROW}) là một số liệu: một chỉ tiêu, "
        "của một đơn vị hành chính, trong một kỳ báo cáo.",
        ("", "Mã chỉ tiêu", "Chọn trong danh sách: chỉ các chỉ tiêu do đơn vị mình báo cáo (xem trang 'Danh mục')."),
        ("", "Đơn vị hành chính", "Chọn 'Huyện Văn Quan' cho số liệu toàn huyện, hoặc tên xã, thị trấn."),
        (
            "",
            "Cấp báo cáo",
            "Số lượng, diện tích, sản lượng... ghi được cho toàn huyện, cho từng xã, thị trấn, hoặc cả hai; khi có "
            "cả hai, số toàn huyện được dùng cho huyện, số từng xã dùng cho báo cáo theo xã. Tỷ lệ và số bình quân "
            "chỉ ghi cho toàn huyện (xem cột «Cấp báo cáo» ở mục 2).",
        ),
        ("", "Kỳ báo cáo", f"Năm ({plan_year}), quý ({plan_year}-Q2) hoặc tháng ({plan_year}-05) theo tần suất."),
        ("", "Giá trị", "Một con số, không ghi đơn vị tính; phải nằm trong giới hạn của chỉ tiêu."),
        ("", "Loại số liệu", "'ước' cho số ước tính, 'chính thức' cho số liệu chính thức (bỏ trống = chính thức)."),
        ("", "Ghi chú", "Không bắt buộc: nguồn số liệu, giải thích thay đổi..."),
        f"Số liệu năm {plan_year - 1} (năm gốc để so sánh) điền như các kỳ khác, với kỳ báo cáo của năm "
        f"{plan_year - 1}.",
        "",
        "2. CÁC CHỈ TIÊU VÀ HẠN NỘP",
        ("", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Cấp báo cáo", "Tần suất", "Hạn nộp"),
    ]
    lines += [
        ("", i.code, i.name_vi, i.unit, levels_text(i), FREQUENCY_VI[i.frequency], calendar.due_rule_vi(i))
        for i in indicators
    ]
    # The office's own calendar (core.calendar, the one the reminders and the dashboard use).
    owed = [o for o in calendar.obligations(cat, plan_year) if o.office_code == office_code]
    dues = sorted({(o.due_date, o.period.start, o.period.end, o.period.label_vi, o.is_baseline) for o in owed})
    lines.append(f"Hạn nộp từng kỳ năm {plan_year}:")
    lines += [
        ("", label, f"hạn {due:%d/%m/%Y}" + (" (năm gốc để so sánh)" if baseline else ""))
        for due, _, _, label, baseline in dues
    ]
    lines += [
        "",
        "3. CÁCH NỘP",
        "Lưu tệp dạng Excel (.xlsx), giữ nguyên tên các trang và các dòng tiêu đề.",
        f"Chép tệp vào thư mục inbox/{office_code}/ trên máy chủ dữ liệu của huyện. Nên đặt tên tệp có "
        f"mã đơn vị và kỳ, ví dụ {office_code}_{plan_year}-05.xlsx.",
        "Mỗi tệp có thể chứa nhiều kỳ và nhiều chỉ tiêu của đơn vị mình.",
        "",
        "4. SAU KHI NỘP",
        "Hệ thống tự động kiểm tra tệp trong vài phút.",
        "Nếu hợp lệ: số liệu được nạp vào kho dữ liệu, hiển thị trên bảng theo dõi chỉ tiêu; tệp được lưu trữ.",
        "Nếu có lỗi: tệp bị trả lại (chuyển sang khu cách ly) kèm báo cáo lỗi ghi rõ trang, dòng, cột "
        "và cách sửa; đơn vị sửa rồi nộp lại.",
        "Số liệu nộp sau cho cùng chỉ tiêu, đơn vị hành chính, kỳ và loại số liệu sẽ thay thế số liệu nộp trước "
        "(lịch sử vẫn được lưu, không xóa).",
        "",
        f"5. VÍ DỤ (CHỈ ĐỂ THAM KHẢO - KHÔNG nhập dòng này vào trang '{DATA_SHEET}')",
    ]
    start = len(lines) + 1
    first = indicators[0]
    unit = cat.district().name_vi if first.level == "district" else offered_units(cat, [first], plan_year)[0]
    example = _example_value(first)
    lines += [
        HEADERS,
        (
            first.code,
            unit,
            f"{plan_year}-{'05' if first.frequency == 'monthly' else 'Q2'}"
            if first.frequency != "yearly"
            else str(plan_year),
            float(example),
            VALUE_TYPES["actual"],
            "VÍ DỤ",
        ),
        f"(giá trị {_vi_number(example)} chỉ là ví dụ)",
        "",
        "Các trang được khóa (không đặt mật khẩu) để tránh sửa nhầm tiêu đề; vùng nhập số liệu không bị khóa.",
        f"Mẫu {TEMPLATE_VERSION}.",
    ]
    for row, line in enumerate(lines, start=1):
        _put_row(ws, row, (line,) if isinstance(line, str) else line)
    ws["A1"].font = _TITLE
    for row, line in enumerate(lines, start=1):
        if isinstance(line, str) and re.match(r"^\d\. ", line):
            ws.cell(row=row, column=1).font = _BOLD
    for col in range(1, len(HEADERS) + 1):
        ws.cell(row=start, column=col).font = _BOLD
        for row in (start, start + 1):
            ws.cell(row=row, column=col).fill = _EXAMPLE_FILL
            ws.cell(row=row, column=col).border = _BOX
    ws.cell(row=start + 1, column=4).number_format = number_format_of(first)
    for col, width in zip("ABCDEFG", (34, 34, 40, 16, 18, 14, 28), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True


def _meta_sheet(ws: Worksheet, office_code: str, plan_year: int) -> None:
    for row, (key, value) in enumerate(
        (
            ("template_version", TEMPLATE_VERSION),
            ("office_code", office_code),
            ("plan_year", plan_year),
            ("data_sheets", DATA_SHEET),
        ),
        start=1,
    ):
        ws.cell(row=row, column=1, value=key)
        ws.cell(row=row, column=2, value=value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def build_workbook(office_code: str, plan_year: int, cat: Catalog | None = None) -> Workbook:
    """The template of one office for one plan year, as an openpyxl workbook."""
    cat = cat or catalog_mod.default()
    office = cat.offices[office_code]
    if not office.submits:
        raise ValueError(f"office {office_code} submits no figures")
    indicators = sorted(cat.indicators_of(office_code), key=lambda i: i.code)
    units = offered_units(cat, indicators, plan_year)
    periods = offered_periods(indicators, plan_year)

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    data = wb.create_sheet(DATA_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    meta = wb.create_sheet(META_SHEET)

    _guide_sheet(guide, cat, office_code, plan_year, indicators)
    _data_sheet(data, office.name_vi, office_code, plan_year)
    ranges = _lists_sheet(lists, cat, indicators, units, periods)
    _meta_sheet(meta, office_code, plan_year)

    last = FIRST_DATA_ROW + DATA_ROWS - 1
    for col, source, what in (
        ("A", ranges["codes"], "mã chỉ tiêu"),
        ("B", ranges["units"], "đơn vị hành chính"),
        ("C", ranges["periods"], "kỳ báo cáo"),
        ("E", ranges["types"], "loại số liệu"),
    ):
        dv = _list_validation(source, what)
        dv.add(f"{col}{FIRST_DATA_ROW}:{col}{last}")
        data.add_data_validation(dv)
    value_dv = _value_validation(indicators, ranges["table"])
    value_dv.add(f"D{FIRST_DATA_ROW}:D{last}")
    data.add_data_validation(value_dv)
    _unlock_data_area(data, _value_formats(data, indicators))

    wb.active = 1  # open on the data sheet
    guide.sheet_view.tabSelected = False
    data.sheet_view.tabSelected = True
    wb.properties.creator = "Văn Quan data platform"
    wb.properties.title = f"Mẫu báo cáo chỉ tiêu {plan_year} - {office.name_vi}"
    return wb


def fill_rows(wb: Workbook, rows: Iterable[Sequence[object]], start_row: int = FIRST_DATA_ROW) -> int:
    """Write rows (in the HEADERS order) into the data sheet; return the next free row."""
    ws = wb[DATA_SHEET]
    row = start_row
    for values in rows:
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=float(value) if isinstance(value, Decimal) else value)
        row += 1
    return row


def template_name(office_code: str, plan_year: int) -> str:
    return f"mau-bao-cao_{office_code}_{plan_year}.xlsx"


def write_templates(out: Path, plan_year: int, cat: Catalog | None = None) -> list[Path]:
    """Write every submitting office's template into ``out``; return the paths."""
    cat = cat or catalog_mod.default()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for code in sorted(c for c, office in cat.offices.items() if office.submits):
        path = out / template_name(code, plan_year)
        path.write_bytes(stable_bytes(build_workbook(code, plan_year, cat)))
        written.append(path)
    written.append(write_emulation_template(out, plan_year, cat))  # Phòng Nội vụ's emulation records
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the offices' Excel templates.")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the templates into")
    parser.add_argument("--year", type=int, default=2022, help="plan year (default 2022)")
    args = parser.parse_args(argv)
    for path in write_templates(args.out, args.year):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
