"""Turn a spreadsheet or text file into plain grids of cells, one per sheet.

Spreadsheets are read with python-calamine (values only: cached formula results, never
macros). Text files are decoded from UTF-8 (with or without BOM), UTF-16 or Windows-1258
and normalised to NFC. Grids keep Excel positions (row 0 = Excel row 1) so that every
problem can name its cell.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from core import settings
from ingest import cellscan
from ingest.guards import corrupt_problem, encrypted_problem
from ingest.headers import Merged
from ingest.model import ERROR, Problem
from ingest.text import nfc

MAX_COLS = 256
MAX_SHEETS = 100

Cell = object  # str | float | int | bool | date | datetime | time | timedelta


@dataclass(frozen=True)
class Caps:
    """How far one sheet may extend before it is refused (rows and cells from the environment)."""

    rows: int
    cols: int
    cells: int

    @classmethod
    def current(cls) -> Caps:
        return cls(settings.ingest_max_sheet_rows(), MAX_COLS, settings.ingest_max_sheet_cells())

    def exceeded(self, rows: int, cols: int) -> bool:
        """True when a used area of ``rows`` x ``cols`` (counts, not indexes) is over a cap."""
        return rows > self.rows or cols > self.cols or rows * cols > self.cells


@dataclass
class Grid:
    """One sheet's cells, with merges and flagged cells (errors, formulas without value)."""

    name: str
    rows: list[list[Cell]]
    merged: Merged = field(default_factory=dict)
    flags: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    hidden: bool = False


@dataclass
class Book:
    fmt: str
    sheets: list[Grid] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str | None = None  # for text files


def _vi_count(n: int) -> str:
    """A count in Vietnamese style: 200.000."""
    return f"{n:,}".replace(",", ".")


def _too_large(sheet: str, rows: int, cols: int, caps: Caps) -> Problem:
    return Problem(
        ERROR,
        "sheet_too_large",
        f"Trang tính “{sheet}” có số liệu trải quá rộng ({_vi_count(rows)} dòng × {cols} cột; tối đa "
        f"{_vi_count(caps.rows)} dòng, {caps.cols} cột và {_vi_count(caps.cells)} ô), thường do có ô bị gõ nhầm "
        "ở rất xa bảng số liệu. Hãy xóa các dòng, cột thừa ở cuối trang tính (chọn các dòng/cột trống phía sau "
        "bảng, bấm Xóa), lưu lại rồi gửi lại. Nếu bảng số liệu thật sự dài như vậy, hãy chia thành nhiều tệp.",
        f"Sheet {sheet!r} extends to {rows} rows x {cols} columns, over the caps "
        f"{caps.rows} rows, {caps.cols} columns, {caps.cells} cells",
        sheet_name=sheet,
        value_found=f"{rows} x {cols}",
        expected=f"<= {caps.rows} x {caps.cols}, <= {caps.cells} cells",
    )


def _merged_map(ranges: list[tuple[tuple[int, int], tuple[int, int]]] | None) -> Merged:
    merged: Merged = {}
    for (r0, c0), (r1, c1) in ranges or []:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10_000:
            continue  # a merge over a huge area is decoration, not a header
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    merged[(r, c)] = (r0, c0)
    return merged


def _clean(value: Cell) -> Cell:
    return nfc(value) if isinstance(value, str) else value


def _duplicate_sheets(names: list[str]) -> Problem:
    shown = ", ".join(f"“{n}”" for n in names)
    return Problem(
        ERROR,
        "duplicate_sheet_names",
        f"Tệp có hai trang tính trùng tên ({shown}) nên hệ thống không biết phải đọc trang nào. Hãy mở tệp bằng "
        "Excel, đổi tên để mỗi trang tính có một tên riêng (chuột phải vào tên trang > Đổi tên), lưu lại dưới "
        "dạng .xlsx rồi gửi lại.",
        f"Two sheets share a name: {names}",
        value_found=", ".join(names)[:200],
        expected="one name per sheet",
    )


def _pre_scan(path: Path, fmt: str, caps: Caps) -> tuple[dict[str, cellscan.SheetScan], list[Problem]]:
    """Extents (and flagged cells) of every sheet, measured before the reader allocates anything.

    The reader sizes its grid from the farthest cell, so a file whose scan shows any part
    over the caps, or two sheets of one name, is refused before the reader opens it.
    """
    if fmt in ("xlsx", "xlsm"):
        scans = cellscan.scan_xlsx(str(path), caps.rows, caps.cols)
    elif fmt == "ods":
        scans = cellscan.scan_ods(str(path), caps.rows, caps.cols)
    elif fmt == "xls":
        scans = cellscan.scan_xls(str(path))
    else:
        return {}, []
    twice = scans.duplicate_names()
    if twice:
        return scans, [_duplicate_sheets(twice)]
    problems = [
        _too_large(scan.name, scan.max_row + 1, scan.max_col + 1, caps)
        for scan in (*scans.values(), *scans.unnamed)
        if caps.exceeded(scan.max_row + 1, scan.max_col + 1)
    ]
    return scans, problems[:1]


def read_spreadsheet(path: Path, fmt: str) -> Book:
    """Read every sheet of an xlsx/xlsm/xls/ods workbook; never raises on bad input."""
    book = Book(fmt)
    caps = Caps.current()
    try:
        scans, refused = _pre_scan(path, fmt, caps)
    except cellscan.ScanError as exc:
        book.problems.append(corrupt_problem(f"scan: {exc}"))
        return book
    if refused:
        book.problems.extend(refused)
        return book
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        metadata = workbook.sheets_metadata[:MAX_SHEETS]
    except python_calamine.PasswordError:
        book.problems.append(encrypted_problem())
        return book
    except BaseException as exc:  # calamine raises its own types and, on a panic, BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        book.problems.append(corrupt_problem(f"open: {type(exc).__name__}: {exc}"))
        return book
    try:
        twice = cellscan.duplicates([meta.name for meta in metadata])
        if twice:
            book.problems.append(_duplicate_sheets(twice))
            return book
        for meta in metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            scan = scans.get(meta.name)
            if scan and caps.exceeded(scan.max_row + 1, scan.max_col + 1):
                book.problems.append(_too_large(meta.name, scan.max_row + 1, scan.max_col + 1, caps))
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                end = sheet.end
                if end and caps.exceeded(end[0] + 1, end[1] + 1):
                    book.problems.append(_too_large(meta.name, end[0] + 1, end[1] + 1, caps))
                    continue
                rows = sheet.to_python(skip_empty_area=False) if end else []
                merged = _merged_map(sheet.merged_cell_ranges)
            except BaseException as exc:
                if isinstance(exc, KeyboardInterrupt | SystemExit):
                    raise
                book.problems.append(corrupt_problem(f"sheet {meta.name!r}: {type(exc).__name__}: {exc}"))
                continue
            grid_rows = [[_clean(v) for v in row] for row in rows]
            book.sheets.append(Grid(nfc(meta.name), grid_rows, merged, scan.flags if scan else {}, hidden))
    finally:
        workbook.close()
    return book


# Letters that appear when UTF-8 bytes were decoded as a Western code page ("Ä‘", "á»‡").
_MOJIBAKE_HINT = re.compile(r"[ÃÄÅÆáº»¼½¾]")


def _is_mojibake(text: str) -> bool:
    """True when the text reads as UTF-8 that was decoded with the wrong code page."""
    sample = "\n".join(line for line in text.splitlines()[:200] if _MOJIBAKE_HINT.search(line))
    if not sample:
        return False
    for codepage in ("cp1252", "latin-1", "cp1258"):
        try:
            repaired = sample.encode(codepage).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != sample:
            return True
    return False


def decode(data: bytes) -> tuple[str, str] | None:
    """(NFC text, encoding name) of a text file, or None when no encoding fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data[:2000].count(b"\x00") > len(data[:2000]) // 4:
        candidates = ["utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"]
    else:
        candidates = ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        # cp1258 decodes tone marks as combining characters: compose them (NFC).
        return unicodedata.normalize("NFC", text), encoding
    return None


SNIFF_CHARS = 8192  # the csv dialect is guessed from this much of the text, never more
SNIFF_LINES = 50


def _delimiter(text: str, fmt: str, encoding: str) -> str:
    if fmt == "tsv" or encoding.startswith("utf-16"):
        return "\t"
    # The sniffer's patterns backtrack on long lines: it only ever sees a bounded prefix.
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:SNIFF_LINES])
    counts = {d: sample.count(d) for d in (",", ";", "\t")}
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _field_too_long(line: int) -> Problem:
    limit = csv.field_size_limit()
    return Problem(
        ERROR,
        "text_field_too_long",
        f"Dòng {_vi_count(line)} của tệp có một ô dài hơn {_vi_count(limit)} ký tự (thường do thiếu dấu ngoặc "
        "kép đóng hoặc tệp không phải bảng số liệu). Hãy mở tệp bằng Excel, kiểm tra lại dòng này, lưu lại "
        "bằng “CSV UTF-8 (Comma delimited)” hoặc dạng .xlsx rồi gửi lại.",
        f"csv field over {limit} characters near line {line}",
        source_row=line,
        expected=f"<= {limit} characters per cell",
    )


def read_text(path: Path, fmt: str) -> Book:
    """Read a csv/tsv file into one grid named after the file."""
    book = Book(fmt)
    data = path.read_bytes()
    decoded = decode(data)
    if decoded is None:
        book.problems.append(
            Problem(
                ERROR,
                "text_encoding",
                "Không đọc được bảng mã của tệp văn bản. Hãy mở tệp bằng Excel và lưu lại bằng "
                "“CSV UTF-8 (Comma delimited)” hoặc “Unicode Text” rồi gửi lại.",
                "Text file is neither UTF-8, UTF-16 nor Windows-1258",
            )
        )
        return book
    text, encoding = decoded
    book.encoding = encoding
    if _is_mojibake(text):
        book.problems.append(
            Problem(
                ERROR,
                "text_mojibake",
                "Chữ tiếng Việt trong tệp bị lỗi phông (ví dụ “Ä‘” thay cho “đ”), do tệp đã bị lưu sai bảng mã. "
                "Hãy mở tệp gốc bằng Excel, lưu lại bằng “CSV UTF-8 (Comma delimited)” rồi gửi lại.",
                f"Text decoded as {encoding} still shows UTF-8 mojibake; refusing to store it",
                value_found=next((ln for ln in text.splitlines() if _MOJIBAKE_HINT.search(ln)), "")[:100],
            )
        )
        return book
    delimiter = _delimiter(text, fmt, encoding)
    caps = Caps.current()
    rows: list[list[Cell]] = []
    width = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    index = -1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            book.problems.append(_field_too_long(reader.line_num))
            return book
        index += 1
        if len(record) > MAX_COLS:
            if any(v.strip() for v in record[MAX_COLS:]):
                book.problems.append(_too_large(path.name, index + 1, len(record), caps))
                return book
            record = record[:MAX_COLS]
        if not any(v.strip() for v in record):
            continue  # blank lines are padded in only when data follows them
        width = max(width, len(record))
        if caps.exceeded(index + 1, width):
            book.problems.append(_too_large(path.name, index + 1, width, caps))
            return book
        rows.extend([] for _ in range(index - len(rows)))
        rows.append([nfc(v) for v in record])
    book.sheets.append(Grid(path.name, rows))
    return book


def read(path: Path, fmt: str) -> Book:
    """Read `path` in the format decided by `ingest.guards.check`."""
    if fmt in ("csv", "tsv", "txt"):
        return read_text(path, fmt)
    return read_spreadsheet(path, fmt)
