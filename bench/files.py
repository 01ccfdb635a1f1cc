"""Benchmark input files in the canonical long layout (the contract with the offices).

A file may hold each (indicator, unit, period, value type) key once, and only 2021-2022
periods are tracked, so one office can send at most a few thousand valid rows. The
generator therefore writes ``rows`` rows by cycling through the valid keys of the
Social Insurance office (``bhxh``): up to :func:`key_limit` rows every row is valid;
beyond it keys repeat (the suite would reject them as duplicates) and the file is used
for the stage-by-stage measurements only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter

from core import catalog as catalog_mod

OFFICE = "bhxh"
HEADERS = ("Mã chỉ tiêu", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị", "Loại số liệu", "Ghi chú")
YEARS = (2021, 2022)
VALUE_TYPES = ("chính thức", "ước")


@dataclass(frozen=True)
class Row:
    indicator: str
    unit_name: str
    period: str
    value: int
    value_type: str
    note: str


def _periods() -> list[str]:
    out: list[str] = []
    for year in YEARS:
        out.append(str(year))
        out.extend(f"{year}-Q{q}" for q in range(1, 5))
        out.extend(f"{year}-{m:02d}" for m in range(1, 13))
    return out


def _valid_rows() -> list[Row]:
    """Every distinct key of the office, with plausible values (insured <= population)."""
    cat = catalog_mod.default()
    units = sorted(cat.communes_on(date(2021, 1, 1)), key=lambda u: u.code)
    rows: list[Row] = []
    for vt_index, value_type in enumerate(VALUE_TYPES):
        for u_index, unit in enumerate(units):
            population = 8_000 + 450 * u_index + 10 * vt_index
            for period in _periods():
                rows.append(Row("population", unit.name_vi, period, population, value_type, ""))
                rows.append(Row("people_health_insured", unit.name_vi, period, population * 95 // 100, value_type, ""))
    return rows


def key_limit() -> int:
    """How many valid rows one file of the office can hold at most."""
    return len(_valid_rows())


def rows_of(count: int, tag: str = "") -> Iterator[Row]:
    """``count`` rows; ``tag`` goes into the note so that every run's file has new bytes."""
    base = _valid_rows()
    for i in range(count):
        row = base[i % len(base)]
        yield Row(row.indicator, row.unit_name, row.period, row.value, row.value_type, f"benchmark {tag}".strip())


def _cells(row: Row) -> list[object]:
    return [row.indicator, row.unit_name, row.period, row.value, row.value_type, row.note]


def write_csv(path: Path, count: int, tag: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS)
        for row in rows_of(count, tag):
            writer.writerow(_cells(row))
    return path


def write_xlsx(path: Path, count: int, tag: str = "") -> Path:
    """One sheet, header in row 1."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Số liệu")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(rows_of(count, tag), start=1):
        sheet.write_row(r, 0, _cells(row))
    book.close()
    return path


def write(fmt: str, path: Path, count: int, tag: str = "") -> Path:
    return (write_csv if fmt == "csv" else write_xlsx)(path, count, tag)
