"""Parse one office file into canonical rows and problems: the entry point of reading.

`parse_file` never raises on bad input: unreadable or unsafe files, unknown names,
periods and numbers all become `Problem`s with a plain Vietnamese message that says
where (sheet, row, cell) and how to fix it. Ownership and value ranges are judged later
(the Great Expectations suites); here names, periods and numbers are resolved.
"""

from __future__ import annotations

import gc
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from core import catalog as catalog_mod
from core.catalog import Catalog, Indicator
from ingest import guards, headers, names, numbers, periods, readers, sandbox
from ingest.headers import ADMIN_UNIT, INDICATOR, NOTE, PERIOD, VALUE, VALUE_TYPE, Header
from ingest.model import ERROR, WARNING, ParsedRow, ParseResult, Problem
from ingest.readers import Grid
from ingest.text import cell_ref, col_letter, compact, fold, nfc

log = logging.getLogger(__name__)

META_SHEET = "_meta"
EXCEL_ERRORS = re.compile(r"#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!)|Err:\d{3}")
_ESTIMATE = {"uoc", "uoc tinh", "so uoc", "estimate", "estimated", "est"}
_ACTUAL = {"chinh thuc", "so chinh thuc", "actual", "thuc hien", "official"}
PERIOD_FORMS_VI = "2022 (cả năm); Quý 2/2022 hoặc 2022-Q2 (quý); Tháng 5/2022, 05/2022 hoặc 2022-05 (tháng)"


@dataclass
class _Sheet:
    """What one sheet's rows need while they are parsed."""

    grid: Grid
    header: Header
    style: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Draft:
    """A data row whose fields parsed; the value may still need percent scaling."""

    row: int
    indicator: Indicator
    admin_unit_code: str
    period: periods.Period
    value: Decimal
    percent_sign: bool
    value_type: str
    note: str | None


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _looks_numeric(value: object) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and numbers.classify(value) != numbers.INVALID


def _cell(grid: Grid, r: int, c: int) -> object:
    row = grid.rows[r]
    return row[c] if c < len(row) else ""


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]


class _Context:
    """The catalog indexes and the result being filled for one file."""

    def __init__(self, catalog: Catalog, office_code: str) -> None:
        self.catalog = catalog
        self.office_code = office_code
        self.units = names.UnitResolver(catalog)
        self.result = ParseResult()
        self.number_style: str | None = None  # declared for the whole file (template _meta)
        self._indicators: dict[str, Indicator] = {}
        for ind in catalog.indicators.values():
            for key in (ind.code.casefold(), compact(ind.code), compact(ind.name_vi), compact(ind.name_en)):
                self._indicators.setdefault(key, ind)

    def indicator(self, text: str) -> Indicator | None:
        return self._indicators.get(text.strip().casefold()) or self._indicators.get(compact(text))

    def office_codes_hint(self) -> str:
        codes = [i.code for i in self.catalog.indicators_of(self.office_code)]
        return ", ".join(codes) if codes else "xem danh mục chỉ tiêu"

    def add(self, problem: Problem) -> None:
        self.result.problems.append(problem)


def _where(sheet: str, r: int, c: int, label: str) -> str:
    return f"Trang “{sheet}”, dòng {r + 1}, cột “{label}” (ô {cell_ref(r, c)})"


def _row_problem(
    sheet: _Sheet, r: int, fld: str, rule: str, what_vi: str, en: str, value: object = None, expected: str | None = None
) -> Problem:
    c = sheet.header.columns[fld]
    label = sheet.header.labels[fld]
    return Problem(
        ERROR,
        rule,
        f"{_where(sheet.grid.name, r, c, label)}: {what_vi}",
        f"{sheet.grid.name}!{cell_ref(r, c)}: {en}",
        sheet_name=sheet.grid.name,
        source_row=r + 1,
        column_name=label,
        value_found=None if value is None else _show(value),
        expected=expected,
    )


def _flag_problem(sheet: _Sheet, r: int, fld: str, kind: str, text: str) -> Problem:
    if kind == "error":
        return _row_problem(
            sheet,
            r,
            fld,
            "excel_error",
            f"ô đang hiện lỗi Excel “{text}” thay vì số liệu. Hãy sửa công thức trong ô này "
            "(hoặc gõ trực tiếp số liệu), lưu lại rồi gửi lại tệp.",
            f"Excel error value {text}",
            text,
            "a value",
        )
    return _row_problem(
        sheet,
        r,
        fld,
        "formula_without_value",
        "ô có công thức nhưng tệp không lưu kết quả tính (thường do tệp được tạo bằng phần mềm không tự tính "
        "công thức). Hãy mở tệp bằng Excel, bấm F9 để tính lại, lưu rồi gửi lại; hoặc gõ trực tiếp số liệu vào ô.",
        "formula has no cached value",
        None,
        "a cached value",
    )


# --- one field at a time -------------------------------------------------------------


def _number_text_problem(sheet: _Sheet, r: int, text: str, reason: str) -> Problem:
    if reason == "conflict" and sheet.style:
        shown = numbers.example(sheet.style)
        return _row_problem(
            sheet,
            r,
            VALUE,
            "number_convention_conflict",
            f"giá trị “{text}” viết khác cách viết số của cả cột (cột này viết số kiểu “{shown}”). "
            "Hãy viết lại số này cùng kiểu với các ô khác trong cột.",
            f"number {text!r} contradicts the column convention {sheet.style}",
            text,
            shown,
        )
    return _row_problem(
        sheet,
        r,
        VALUE,
        "not_a_number",
        f"giá trị “{text}” không phải là số. Hãy chỉ ghi con số, ví dụ 17.600 hoặc 8,5 "
        "(không ghi chữ, đơn vị tính hay ký hiệu khác trong ô này).",
        f"not a number: {text!r}",
        text,
        "a number",
    )


def _value(sheet: _Sheet, r: int, raw: object) -> tuple[Decimal, bool] | Problem:
    if _is_empty(raw):
        return _row_problem(
            sheet,
            r,
            VALUE,
            "missing_value",
            "ô giá trị đang để trống. Hãy nhập số liệu vào ô này; nếu chưa có số liệu thì xóa cả dòng "
            "(không để trống, cũng không ghi số 0 thay cho số liệu chưa có).",
            "empty value cell",
            "",
            "a number",
        )
    if isinstance(raw, bool):
        return _row_problem(
            sheet,
            r,
            VALUE,
            "not_a_number",
            f"ô chứa giá trị đúng/sai “{raw}” chứ không phải số. Hãy nhập con số.",
            "boolean in the value column",
            raw,
            "a number",
        )
    if isinstance(raw, date | datetime | time | timedelta):
        return _row_problem(
            sheet,
            r,
            VALUE,
            "not_a_number",
            f"ô chứa ngày/giờ “{raw}” chứ không phải số (ô có thể đang định dạng kiểu ngày). "
            "Hãy đổi định dạng ô sang Số (Number) và nhập lại số liệu.",
            "date/time in the value column",
            raw,
            "a number",
        )
    if isinstance(raw, int | float):
        try:
            return numbers.from_float(float(raw)), False
        except numbers.NumberError:
            return _number_text_problem(sheet, r, str(raw), "invalid")
    text = str(raw).strip()
    if EXCEL_ERRORS.fullmatch(text):
        return _flag_problem(sheet, r, VALUE, "error", text)
    try:
        parsed = numbers.parse(text, sheet.style)
    except numbers.NumberError as exc:
        if exc.reason == numbers.AMBIGUOUS:
            return _row_problem(  # only when the column check did not already report it
                sheet,
                r,
                VALUE,
                "ambiguous_number",
                f"giá trị “{text}” có thể hiểu hai cách. Hãy viết số không có dấu phân cách hàng nghìn.",
                f"ambiguous number {text!r}",
                text,
                "1500 or 1,5",
            )
        return _number_text_problem(sheet, r, text, exc.reason)
    return parsed.value, parsed.percent


def _value_type(sheet: _Sheet, r: int, raw: object) -> str | Problem:
    if _is_empty(raw):
        return "actual"
    text = str(raw)
    key = fold(text) if len(text) <= 64 else ""  # every accepted word is short: a long cell is not one
    if key in _ESTIMATE:
        return "estimate"
    if key in _ACTUAL:
        return "actual"
    return _row_problem(
        sheet,
        r,
        VALUE_TYPE,
        "bad_value_type",
        f"loại số liệu “{_show(raw)}” không hợp lệ. Hãy ghi “Ước” (số ước tính) hoặc “Chính thức” "
        "(để trống cũng được hiểu là số chính thức).",
        f"unknown value_type {raw!r}",
        raw,
        "ước | chính thức",
    )


def _period(sheet: _Sheet, r: int, raw: object) -> periods.Period | Problem:
    found = None if _is_empty(raw) else periods.parse(raw)
    if found:
        return found
    what = "ô kỳ báo cáo đang để trống" if _is_empty(raw) else f"kỳ báo cáo “{_show(raw)}” không đúng dạng"
    return _row_problem(
        sheet,
        r,
        PERIOD,
        "bad_period",
        f"{what}. Hãy ghi theo một trong các dạng: {PERIOD_FORMS_VI}.",
        f"unreadable period {raw!r}",
        raw,
        "2022 | 2022-Q2 | 2022-05",
    )


def _indicator(ctx: _Context, sheet: _Sheet, r: int, raw: object) -> Indicator | Problem:
    found = None if _is_empty(raw) else ctx.indicator(_show(raw))
    if found:
        return found
    what = "ô mã chỉ tiêu đang để trống" if _is_empty(raw) else f"mã chỉ tiêu “{_show(raw)}” không có trong danh mục"
    return _row_problem(
        sheet,
        r,
        INDICATOR,
        "unknown_indicator",
        f"{what}. Hãy ghi đúng mã chỉ tiêu theo mẫu; các mã của đơn vị: {ctx.office_codes_hint()}.",
        f"unknown indicator {raw!r}",
        raw,
        "an indicator code of the catalog",
    )


def _fmt_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _admin_unit(ctx: _Context, sheet: _Sheet, r: int, raw: object, period: periods.Period | None) -> str | Problem:
    if _is_empty(raw):
        return _row_problem(
            sheet,
            r,
            ADMIN_UNIT,
            "unknown_admin_unit",
            "ô đơn vị hành chính đang để trống. Hãy ghi tên xã, thị trấn (ví dụ: Liên Hội, Thị trấn Văn Quan) "
            "hoặc ghi “Huyện” cho số liệu toàn huyện.",
            "empty admin unit",
            "",
            "a commune, the town or 'huyện'",
        )
    text = _show(raw)
    res = ctx.units.resolve(text, period.start if period else None)
    if res.status == names.FOUND and res.code:
        return res.code
    if res.status == names.SUCCESSOR and res.code and res.original_code:
        old = ctx.catalog.units[res.original_code]
        new_name = ctx.units.name_of(res.code)
        c = sheet.header.columns[ADMIN_UNIT]
        ctx.add(
            Problem(
                WARNING,
                "admin_unit_renamed",
                f"{_where(sheet.grid.name, r, c, sheet.header.labels[ADMIN_UNIT])}: “{text}” là tên đơn vị cũ, "
                f"đã sáp nhập vào {new_name} từ ngày {_fmt_day(old.valid_to + timedelta(days=1))}; số liệu kỳ "
                f"{period.code if period else ''} được ghi nhận cho {new_name}. Lần sau hãy ghi tên mới “{new_name}”.",
                f"old unit {old.code} mapped to successor {res.code} for period {period.code if period else '?'}",
                sheet_name=sheet.grid.name,
                source_row=r + 1,
                column_name=sheet.header.labels[ADMIN_UNIT],
                value_found=text,
                expected=new_name,
            )
        )
        return res.code
    if res.status == names.DISSOLVED and res.original_code:
        old = ctx.catalog.units[res.original_code]
        return _row_problem(
            sheet,
            r,
            ADMIN_UNIT,
            "admin_unit_dissolved",
            f"“{text}” đã giải thể từ ngày {_fmt_day(old.valid_to + timedelta(days=1))} và không có đơn vị kế thừa, "
            f"nên không ghi nhận được số liệu kỳ {period.code if period else ''}. Hãy ghi số liệu cho xã, thị trấn "
            "hiện đang quản lý địa bàn này.",
            f"unit {old.code} dissolved without successor before the period",
            text,
            "a unit valid in the period",
        )
    return _row_problem(
        sheet,
        r,
        ADMIN_UNIT,
        "unknown_admin_unit",
        f"đơn vị hành chính “{text}” không có trong danh mục xã, thị trấn của huyện Văn Quan. Hãy ghi đúng tên "
        "xã, thị trấn (ví dụ: Liên Hội, Thị trấn Văn Quan) hoặc ghi “Huyện” cho số liệu toàn huyện.",
        f"unknown admin unit {text!r} ({res.status})",
        text,
        "a commune, the town or 'huyện'",
    )


# --- a sheet ---------------------------------------------------------------------------


def _data_rows(sheet: _Sheet) -> list[int]:
    """Row indexes holding data: after the header, blank and section rows skipped, up to a footer."""
    grid, header = sheet.grid, sheet.header
    key_cols = [header.columns[f] for f in headers.REQUIRED]
    rows: list[int] = []
    first = True
    for r in range(header.row + 1, len(grid.rows)):
        cells = grid.rows[r]
        keys = [_cell(grid, r, c) for c in key_cols]
        flagged = any((r, c) in grid.flags for c in key_cols)
        if all(_is_empty(v) for v in keys) and not flagged:
            if headers.is_footer(cells):
                break
            continue
        if first and headers.is_column_numbers(cells):
            first = False
            continue
        first = False
        if headers.is_footer(cells) and periods.parse(keys[2]) is None and not _looks_numeric(keys[3]):
            break  # a signature block that happens to sit in the table's columns
        if (r, header.columns[VALUE]) in grid.merged:
            continue  # the lower part of a merged header cell
        rows.append(r)
    return rows


def _decide_style(ctx: _Context, sheet: _Sheet, rows: list[int]) -> bool:
    """Fix the column's number convention; False when the column cannot be read."""
    c = sheet.header.columns[VALUE]
    label = sheet.header.labels[VALUE]
    texts = [(r, v) for r in rows if isinstance(v := _cell(sheet.grid, r, c), str) and v.strip()]
    declared = sheet.header.declared_style or ctx.number_style
    if declared:
        sheet.style = declared
        return True
    conv = numbers.detect(t for _, t in texts)
    letter = col_letter(c)
    where = f"Trang “{sheet.grid.name}”, cột “{label}” (cột {letter})"
    declare_hint = (
        "hoặc ghi cách viết số vào tiêu đề cột: “Giá trị (1.234,5)” nếu dấu phẩy là dấu thập phân, "
        "“Giá trị (1,234.5)” nếu dấu chấm là dấu thập phân"
    )
    if conv.conflicting:
        vi = next((r, t) for r, t in texts if numbers.classify(t) == numbers.VI)
        intl = next((r, t) for r, t in texts if numbers.classify(t) == numbers.INTL)
        ctx.add(
            Problem(
                ERROR,
                "number_convention_conflict",
                f"{where}: cột vừa có số viết kiểu Việt Nam (ví dụ “{vi[1]}” ở ô {cell_ref(vi[0], c)}) vừa có số viết "
                f"kiểu quốc tế (ví dụ “{intl[1]}” ở ô {cell_ref(intl[0], c)}). Hãy thống nhất một cách viết cho cả "
                f"cột (kiểu Việt Nam: 17.600 và 8,5), {declare_hint}.",
                f"{sheet.grid.name} column {letter}: both Vietnamese "
                f"({vi[1]!r}) and international ({intl[1]!r}) numbers",
                sheet_name=sheet.grid.name,
                source_row=vi[0] + 1,
                column_name=label,
                value_found=f"{vi[1]} | {intl[1]}",
                expected="one convention per column",
            )
        )
        return False
    if conv.ambiguous:
        r, t = next((r, t) for r, t in texts if numbers.classify(t) == numbers.AMBIGUOUS)
        ctx.add(
            Problem(
                ERROR,
                "number_convention_ambiguous",
                f"{where}: không xác định được cách viết số của cột. Ví dụ ô {cell_ref(r, c)} ghi “{t}” có thể hiểu là "
                f"{numbers.parse(t, numbers.VI).value} hoặc {numbers.parse(t, numbers.INTL).value}. Hãy viết số không "
                f"có dấu phân cách hàng nghìn (ví dụ 1500; số thập phân dùng dấu phẩy: 1,5), {declare_hint}.",
                f"{sheet.grid.name} column {letter}: number convention cannot be told (e.g. {t!r} at {cell_ref(r, c)})",
                sheet_name=sheet.grid.name,
                source_row=r + 1,
                column_name=label,
                value_found=t,
                expected="a declared or detectable convention",
            )
        )
        return False
    sheet.style = conv.style
    return True


def _parse_row(ctx: _Context, sheet: _Sheet, r: int, values_ok: bool) -> _Draft | None:
    grid, cols = sheet.grid, sheet.header.columns
    before = len(ctx.result.problems)
    for fld in (INDICATOR, ADMIN_UNIT, PERIOD, VALUE, VALUE_TYPE):
        if fld in cols and (r, cols[fld]) in grid.flags:
            kind, text = grid.flags[(r, cols[fld])]
            ctx.add(_flag_problem(sheet, r, fld, kind, text))
    if len(ctx.result.problems) > before:
        return None
    raw = {fld: _cell(grid, r, c) for fld, c in cols.items()}
    indicator = _indicator(ctx, sheet, r, raw[INDICATOR])
    period = _period(sheet, r, raw[PERIOD])
    unit = _admin_unit(ctx, sheet, r, raw[ADMIN_UNIT], period if isinstance(period, periods.Period) else None)
    value: tuple[Decimal, bool] | Problem | None = None
    plain = isinstance(raw[VALUE], str) and numbers.classify(raw[VALUE]) == numbers.PLAIN
    if values_ok or plain or not isinstance(raw[VALUE], str) or _is_empty(raw[VALUE]):
        value = _value(sheet, r, raw[VALUE])
    value_type = _value_type(sheet, r, raw.get(VALUE_TYPE))
    for part in (indicator, unit, period, value, value_type):
        if isinstance(part, Problem):
            ctx.add(part)
    if not (
        isinstance(indicator, Indicator)
        and isinstance(unit, str)
        and isinstance(period, periods.Period)
        and isinstance(value, tuple)
        and isinstance(value_type, str)
    ):
        return None
    note = raw.get(NOTE)
    return _Draft(
        r, indicator, unit, period, value[0], value[1], value_type, None if _is_empty(note) else nfc(_show(note))
    )


def _scale_percents(drafts: list[_Draft]) -> None:
    """Percent indicators written as fractions (0,98) become percents (98), per indicator."""
    by_indicator: dict[str, list[_Draft]] = {}
    for d in drafts:
        if d.indicator.value_kind == "percent" and not d.percent_sign:
            by_indicator.setdefault(d.indicator.code, []).append(d)
    for group in by_indicator.values():
        if all(abs(d.value) <= 1 for d in group) and any(d.value != 0 for d in group):
            for d in group:
                d.value = numbers.tidy(d.value * 100)


def _parse_sheet(ctx: _Context, grid: Grid) -> None:
    if not any(not _is_empty(v) for row in grid.rows for v in row) and not grid.flags:
        ctx.add(
            Problem(
                WARNING,
                "empty_sheet",
                f"Trang “{grid.name}” không có số liệu nên không được đọc. Nếu trang này lẽ ra có số liệu, "
                "hãy nhập số liệu theo mẫu rồi gửi lại.",
                f"Sheet {grid.name!r} is empty",
                sheet_name=grid.name,
            )
        )
        return
    search = headers.find(grid.rows, grid.merged)
    if search.header is None:
        if search.best_row is not None:
            missing = ", ".join(f"“{headers.CANONICAL_VI[f]}”" for f in search.missing)
            ctx.add(
                Problem(
                    ERROR,
                    "missing_columns",
                    f"Trang “{grid.name}”, dòng tiêu đề {search.best_row + 1}: "
                    f"thiếu cột {missing}. Bảng số liệu cần có "
                    "đủ các cột: Mã chỉ tiêu, Đơn vị hành chính, Kỳ báo cáo, Giá trị (thêm Loại số liệu, Ghi chú nếu "
                    "cần). Hãy thêm cột còn thiếu hoặc sửa lại tên cột cho đúng mẫu.",
                    f"Sheet {grid.name!r}: header row {search.best_row + 1} lacks {list(search.missing)}",
                    sheet_name=grid.name,
                    source_row=search.best_row + 1,
                    value_found=None,
                    expected=missing,
                )
            )
        else:
            ctx.add(
                Problem(
                    ERROR,
                    "no_header",
                    f"Trang “{grid.name}” có nội dung nhưng không tìm thấy dòng tiêu đề của bảng số liệu. Bảng cần có "
                    "các cột: Mã chỉ tiêu, Đơn vị hành chính, Kỳ báo cáo, Giá "
                    "trị (thêm Loại số liệu, Ghi chú nếu cần). "
                    "Hãy dùng đúng mẫu báo cáo; nếu trang này không phải số liệu, hãy xóa trang đó rồi gửi lại.",
                    f"Sheet {grid.name!r} has content but no recognisable header row",
                    sheet_name=grid.name,
                )
            )
        return
    header = search.header
    sheet = _Sheet(grid, header)
    ctx.result.sheets_read.append(grid.name)
    for fld in header.duplicates:
        ctx.add(
            Problem(
                ERROR,
                "duplicate_column",
                f"Trang “{grid.name}”, dòng tiêu đề {header.row + 1}: cột “{headers.CANONICAL_VI[fld]}” xuất hiện "
                "nhiều lần. Hãy giữ lại một cột và xóa (hoặc đổi tên) các cột trùng.",
                f"Sheet {grid.name!r}: duplicate column for {fld}",
                sheet_name=grid.name,
                source_row=header.row + 1,
                column_name=headers.CANONICAL_VI[fld],
            )
        )
    if header.duplicates:
        return
    rows = _data_rows(sheet)
    if not rows:
        ctx.add(
            Problem(
                WARNING,
                "empty_sheet",
                f"Trang “{grid.name}” có dòng tiêu đề nhưng không có dòng số liệu nào nên không có gì được ghi nhận. "
                "Nếu trang này lẽ ra có số liệu, hãy nhập số liệu bên dưới dòng tiêu đề rồi gửi lại.",
                f"Sheet {grid.name!r} has a header but no data rows",
                sheet_name=grid.name,
            )
        )
        return
    values_ok = _decide_style(ctx, sheet, rows)
    drafts = [d for r in rows if (d := _parse_row(ctx, sheet, r, values_ok))]
    _scale_percents(drafts)
    for d in drafts:
        ctx.result.rows.append(
            ParsedRow(
                sheet_name=grid.name,
                source_row=d.row + 1,
                indicator_code=d.indicator.code,
                admin_unit_code=d.admin_unit_code,
                period_code=d.period.code,
                period_grain=d.period.grain,
                period_start=d.period.start,
                period_end=d.period.end,
                value=d.value,
                value_type=d.value_type,
                note=d.note,
            )
        )


# --- a file ----------------------------------------------------------------------------


def _read_meta(grid: Grid) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in grid.rows[:50]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip():
            meta[row[0].strip().casefold()] = _show(row[1]).strip() if not _is_empty(row[1]) else ""
    return meta


def _sheets_to_read(ctx: _Context, book: readers.Book) -> list[Grid]:
    """The listed data sheets of a template; otherwise every visible sheet."""
    by_name = {g.name: g for g in book.sheets}
    meta_grid = next((g for g in book.sheets if g.name.strip().casefold() == META_SHEET), None)
    if meta_grid is not None:
        meta = _read_meta(meta_grid)
        ctx.result.layout = "template"
        ctx.result.template_version = meta.get("template_version") or None
        style = meta.get("number_style", "").casefold()
        ctx.number_style = style if style in (numbers.VI, numbers.INTL) else None
        wanted = [nfc(n) for n in meta.get("data_sheets", "").split(",") if n.strip()]
        chosen = []
        for name in wanted:
            grid = by_name.get(name) or next((g for g in book.sheets if fold(g.name) == fold(name)), None)
            if grid is None:
                ctx.add(
                    Problem(
                        ERROR,
                        "template_sheet_missing",
                        f"Không tìm thấy trang “{name}” của mẫu báo cáo (có thể đã bị xóa hoặc đổi tên). Hãy dùng lại "
                        "mẫu gốc, giữ nguyên tên trang, nhập số liệu rồi gửi lại.",
                        f"Template data sheet {name!r} listed in _meta is missing",
                        sheet_name=name,
                        expected=name,
                    )
                )
            else:
                chosen.append(grid)
        if not wanted:
            ctx.add(
                Problem(
                    ERROR,
                    "template_meta_invalid",
                    "Trang ẩn “_meta” của mẫu báo cáo bị hỏng (không ghi trang số liệu). Hãy tải lại mẫu gốc, nhập số "
                    "liệu rồi gửi lại.",
                    "Template _meta has no data_sheets",
                    sheet_name=META_SHEET,
                )
            )
        return chosen
    chosen = []
    for grid in book.sheets:
        has_content = any(not _is_empty(v) for row in grid.rows for v in row)
        if grid.hidden:
            if has_content:
                ctx.add(
                    Problem(
                        WARNING,
                        "hidden_sheet_skipped",
                        f"Trang ẩn “{grid.name}” không được đọc. Nếu trang này có số liệu cần báo cáo, hãy bỏ ẩn trang "
                        "(chuột phải vào tên trang > Bỏ ẩn) rồi gửi lại.",
                        f"Hidden sheet {grid.name!r} skipped",
                        sheet_name=grid.name,
                    )
                )
            continue
        chosen.append(grid)
    return chosen


def _parse(path: Path, office_code: str, catalog: Catalog) -> ParseResult:
    ctx = _Context(catalog, office_code)
    checked = guards.check(path)
    if checked.problems or checked.fmt is None:
        ctx.result.problems.extend(checked.problems)
        return ctx.result
    book = readers.read(path, checked.fmt)
    ctx.result.problems.extend(book.problems)
    for grid in _sheets_to_read(ctx, book):
        _parse_sheet(ctx, grid)
    if not ctx.result.rows and not ctx.result.has_errors:
        ctx.add(
            Problem(
                ERROR,
                "no_data",
                "Tệp không có dòng số liệu nào đọc được. Hãy nhập số liệu theo mẫu (các cột Mã chỉ tiêu, Đơn vị hành "
                "chính, Kỳ báo cáo, Giá trị) rồi gửi lại.",
                "No data rows found in the file",
            )
        )
    return ctx.result


def _parse_safely(path: Path, office_code: str, catalog: Catalog) -> ParseResult:
    """``_parse`` with every exception turned into a problem (runs in the reading child)."""
    try:
        return _parse(path, office_code, catalog)
    except (MemoryError, RecursionError) as exc:
        return ParseResult(problems=[guards.corrupt_problem(f"{type(exc).__name__}")])
    except Exception as exc:  # a reader bug must quarantine the file, not crash the pipeline
        return ParseResult(problems=[_internal_error(f"Unexpected {type(exc).__name__} while parsing: {exc}")])


def _parse_packed(path: Path, office_code: str, catalog: Catalog) -> tuple[ParseResult, list[tuple]]:
    """``_parse_safely`` with the rows as plain tuples: a third of the cost to send back."""
    result = _parse_safely(path, office_code, catalog)
    rows, result.rows = result.rows, []
    packed = [
        (
            r.sheet_name,
            r.source_row,
            r.indicator_code,
            r.admin_unit_code,
            r.period_code,
            r.period_grain,
            r.period_start.toordinal(),
            r.period_end.toordinal(),
            str(r.value),
            r.value_type,
            r.note,
        )
        for r in rows
    ]
    return result, packed


def _unpack(packed: list[tuple]) -> list[ParsedRow]:
    day = date.fromordinal
    enabled = gc.isenabled()
    gc.disable()  # many small objects at once: collecting while they are built only costs time
    try:
        return [
            ParsedRow(sheet, row, ind, unit, code, grain, day(start), day(end), Decimal(value), kind, note)
            for sheet, row, ind, unit, code, grain, start, end, value, kind, note in packed
        ]
    finally:
        if enabled:
            gc.enable()


def _internal_error(detail: str) -> Problem:
    return Problem(
        ERROR,
        "internal_error",
        "Hệ thống gặp lỗi khi đọc tệp này. Tệp đã được giữ lại để "
        "cán bộ kỹ thuật kiểm tra; bạn chưa cần gửi "
        "lại. Nếu cần gấp, hãy lưu lại tệp bằng Excel dưới dạng .xlsx rồi gửi lại.",
        detail,
    )


def parse_file(path: Path, office_code: str, catalog: Catalog | None = None, *, isolated: bool = True) -> ParseResult:
    """Read one submitted file into canonical rows and problems; never raises on bad input.

    With ``isolated`` (the default) the reading runs in a child process with memory, CPU and
    time limits (``ingest.sandbox``): a file that makes the reader abort or spin is
    quarantined with a plain reason instead of stopping the caller.
    """
    catalog = catalog or catalog_mod.default()  # loaded here, so the child inherits it warm
    if isolated:
        try:
            result, packed = sandbox.run(_parse_packed, Path(path), office_code, catalog)
            result.rows = _unpack(packed)
        except sandbox.ChildFailed as exc:
            log.warning("reading %s stopped: %s", path, exc)
            if exc.reason == sandbox.ERROR:
                return ParseResult(problems=[_internal_error(f"Reading child raised: {exc.detail[:2000]}")])
            problem = guards.read_limit_problem(exc.reason, exc.detail, exc.limits.seconds, exc.limits.memory_mb)
            return ParseResult(problems=[problem])
    else:
        result = _parse_safely(Path(path), office_code, catalog)
    for problem in result.problems:
        if problem.rule == "internal_error" or problem.message_en.endswith(("MemoryError", "RecursionError")):
            log.error("parse_file on %s: %s", path, problem.message_en)
    return result
