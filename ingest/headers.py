"""Find the header row of a sheet and map its columns to the canonical long layout.

Headers are matched ignoring case, tone marks, spacing and punctuation, in Vietnamese or
English. Title rows above (`BÁO CÁO ...`, `Kính gửi ...`) are skipped; merged header cells
count for every column they cover; footers and signature blocks end the data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ingest import numbers
from ingest.text import compact, fold

INDICATOR = "indicator"
ADMIN_UNIT = "admin_unit"
PERIOD = "period"
VALUE = "value"
VALUE_TYPE = "value_type"
NOTE = "note"
REQUIRED = (INDICATOR, ADMIN_UNIT, PERIOD, VALUE)
FIELDS = (*REQUIRED, VALUE_TYPE, NOTE)

# The header each field carries in the canonical layout (for messages to office staff).
CANONICAL_VI = {
    INDICATOR: "Mã chỉ tiêu",
    ADMIN_UNIT: "Đơn vị hành chính",
    PERIOD: "Kỳ báo cáo",
    VALUE: "Giá trị",
    VALUE_TYPE: "Loại số liệu",
    NOTE: "Ghi chú",
}

_SYNONYMS = {
    INDICATOR: ("mã chỉ tiêu", "indicator", "indicator code", "indicator_code", "mã chỉ số"),
    ADMIN_UNIT: ("đơn vị hành chính", "admin_unit", "admin unit", "đvhc", "xã, thị trấn", "địa bàn"),
    PERIOD: ("kỳ báo cáo", "period", "kỳ"),
    VALUE: ("giá trị", "value", "số liệu"),
    VALUE_TYPE: ("loại số liệu", "value_type", "value type", "loại"),
    NOTE: ("ghi chú", "note", "notes"),
}
_BY_KEY = {compact(name): fld for fld, names in _SYNONYMS.items() for name in names}

# Every pattern below runs on text cut to a bounded length first, and none can backtrack
# beyond it: a cell may hold 32,767 characters, a csv field far more.
MAX_HEADER_TEXT = 200  # a header cell is a few words; a longer cell is not a header
MAX_FOOTER_TEXT = 300  # a signature line or a "..., ngày ... tháng ... năm ..." line
_FOOTER_STARTS = (
    "nguoi lap",
    "lap bieu",
    "thu truong",
    "ky ten",
    "ky ghi ro",
    "xac nhan",
    "giam doc",
    "truong phong",
    "chu tich",
    "ke toan",
    "can bo",
    "prepared by",
    "approved by",
)
_DATE_WORDS = ("ngay", "thang", "nam")
_COLUMN_NUMBERS = re.compile(r"\(?[0-9a-z]{1,2}\)?(?:=\(?[0-9+\-*/x ]+\)?)?")

MAX_HEADER_SCAN = 60
Merged = dict[tuple[int, int], tuple[int, int]]  # covered cell -> top-left cell of its merge


@dataclass(frozen=True)
class Header:
    row: int  # 0-based index of the header row in the sheet grid
    columns: dict[str, int]  # field -> 0-based column index
    labels: dict[str, str]  # field -> header text as written
    declared_style: str | None = None  # number convention declared in the value header
    duplicates: tuple[str, ...] = ()


@dataclass(frozen=True)
class HeaderSearch:
    header: Header | None
    best_row: int | None = None  # the row that came closest, when none matched
    missing: tuple[str, ...] = field(default_factory=tuple)


def _bracket_spans(text: str) -> list[tuple[int, int]]:
    r"""(start, end) of each `(...)` or `[...]` group, as a lazy `[(\[].*?[)\]]` would find them,
    in one pass: an opener runs to the next closer of either kind on the same line."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    next_closer = [-1] * (n + 1)
    for k in range(n - 1, -1, -1):
        next_closer[k] = k if text[k] in ")]" else -1 if text[k] == "\n" else next_closer[k + 1]
    while i < n:
        if text[i] in "([" and (end := next_closer[i + 1]) != -1:
            spans.append((i, end + 1))
            i = end + 1
        else:
            i += 1
    return spans


def declared_style(text: str) -> str | None:
    """The number convention a header declares, e.g. `Giá trị (1.234,5)` -> VI."""
    text = text[:MAX_HEADER_TEXT]
    for start, end in _bracket_spans(text):
        inner = text[start + 1 : end - 1]
        folded = fold(inner)
        if "phay thap phan" in folded or "decimal comma" in folded:
            return numbers.VI
        if "cham thap phan" in folded or "decimal point" in folded:
            return numbers.INTL
        kind = numbers.classify(inner.strip())
        if kind in (numbers.VI, numbers.INTL):
            return kind
    return None


def _without_brackets(text: str) -> str:
    parts, last = [], 0
    for start, end in _bracket_spans(text):
        parts.extend((text[last:start], " "))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def match(text: object) -> str | None:
    """The canonical field a header cell names, or None."""
    if not isinstance(text, str) or len(text) > MAX_HEADER_TEXT:
        return None
    return _BY_KEY.get(compact(_without_brackets(text)))


def _label(rows: Sequence[Sequence[object]], merged: Merged, r: int, c: int) -> object:
    value = rows[r][c] if c < len(rows[r]) else ""
    if (value is None or value == "") and (r, c) in merged:
        r0, c0 = merged[(r, c)]
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
    return value


def find(rows: Sequence[Sequence[object]], merged: Merged | None = None) -> HeaderSearch:
    """The first row (within the top rows) that names every required column."""
    merged = merged or {}
    best: tuple[int, int, tuple[str, ...]] | None = None
    for r in range(min(len(rows), MAX_HEADER_SCAN)):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        duplicates: list[str] = []
        for c in range(len(rows[r])):
            text = _label(rows, merged, r, c)
            fld = match(text)
            if fld is None:
                continue
            if fld in columns:
                if columns[fld] != c and merged.get((r, c)) is None:
                    duplicates.append(fld)
                continue
            columns[fld] = c
            labels[fld] = str(text)
        found = sum(1 for f in REQUIRED if f in columns)
        if found == len(REQUIRED):
            style = declared_style(labels[VALUE])
            return HeaderSearch(Header(r, columns, labels, style, tuple(duplicates)))
        if found >= 2 and (best is None or found > best[1]):
            best = (r, found, tuple(f for f in REQUIRED if f not in columns))
    if best:
        return HeaderSearch(None, best[0], best[2])
    return HeaderSearch(None)


def _is_footer_text(text: str) -> bool:
    return _is_footer_start(text[:MAX_FOOTER_TEXT])


@lru_cache(maxsize=4096)  # asked of every text cell of every row, and cells repeat; keys are short
def _is_footer_start(text: str) -> bool:
    words = fold(text)
    if words.startswith(_FOOTER_STARTS):
        return True
    wanted = 0  # "ngay", then "thang", then "nam", in that order, as whole words (no backtracking)
    for word in words.split():
        if word == _DATE_WORDS[wanted]:
            wanted += 1
            if wanted == len(_DATE_WORDS):
                return True
    return False


def is_footer(cells: Sequence[object]) -> bool:
    """A signature block or a `..., ngày ... tháng ... năm ...` line."""
    return any(isinstance(v, str) and _is_footer_text(v) for v in cells)


def is_column_numbers(cells: Sequence[object]) -> bool:
    """The `(1) (2) (3)` or `A B C` row that Vietnamese forms put under the header."""
    filled = [v for v in cells if v not in ("", None)]
    if len(filled) < 2:
        return False
    if all(isinstance(v, str) for v in filled):
        return all(len(v) <= 40 and _COLUMN_NUMBERS.fullmatch(fold(v).replace(" ", "")) for v in filled)
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in filled):
        ints = [float(v) for v in filled]
        start = ints[0]
        return start.is_integer() and ints == [start + k for k in range(len(ints))]
    return False
