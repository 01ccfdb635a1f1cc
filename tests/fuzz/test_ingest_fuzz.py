"""Property tests: the parsers never crash or hang, and a file gives rows or problems."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import catalog
from ingest import headers, numbers, periods
from ingest.model import ERROR, ParsedRow, Problem
from ingest.names import UnitResolver
from ingest.parse import parse_file

# A parser that hangs fails the test instead of stalling the run (no speed is asserted).
pytestmark = pytest.mark.timeout(900)

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])

number_like = st.text(alphabet="0123456789.,-+% \u00a0", max_size=20)
cell_text = st.one_of(
    number_like,
    st.text(max_size=30),
    st.sampled_from(["Liên Hội", "Phú Mỹ", "huyện", "Quý 2/2022", "2022-05", "#REF!", "ước", "sown_area", ""]),
)
cell = st.one_of(
    cell_text,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)),
    st.booleans(),
    st.none(),
)

UNITS = UnitResolver(catalog.default())


def _check_numbers(text: str) -> None:
    kind = numbers.classify(text)
    for style in (None, numbers.VI, numbers.INTL):
        try:
            value = numbers.parse(text, style)
        except numbers.NumberError:
            continue
        assert isinstance(value.value, Decimal) and value.value.is_finite()
        assert kind != numbers.INVALID


@QUICK
@given(number_like)
def test_numbers_never_crash(text: str) -> None:
    _check_numbers(text)


@QUICK
@given(st.integers(0, 10**12), st.integers(0, 99))
def test_vietnamese_grouping_round_trips(whole: int, cents: int) -> None:
    text = f"{whole:,}".replace(",", ".") + f",{cents:02d}"
    assert numbers.parse(text, numbers.VI).value == Decimal(f"{whole}.{cents:02d}")
    assert numbers.detect([text]).style in (numbers.VI, None)


@QUICK
@given(cell)
def test_periods_never_crash(value: object) -> None:
    found = periods.parse(value)
    assert found is None or (found.start <= found.end and periods.parse(found.code) == found)


@QUICK
@given(st.integers(1990, 2100), st.integers(1, 12))
def test_month_forms_agree(year: int, month: int) -> None:
    forms = [f"{year}-{month:02d}", f"Tháng {month}/{year}", f"{month:02d}/{year}", date(year, month, 9)]
    assert {periods.parse(f) for f in forms} == {periods.month(year, month)}


@QUICK
@given(st.lists(st.lists(cell, max_size=8), max_size=12))
def test_header_search_never_crashes(rows: list[list[object]]) -> None:
    search = headers.find(rows)
    assert search.header is None or all(f in search.header.columns for f in headers.REQUIRED)


@QUICK
@given(st.text(max_size=40), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_names_never_crash(text: str, day: date) -> None:
    res = UNITS.resolve(text, day)
    assert res.code is None or res.code in catalog.default().units


def _write_csv(rows: list[list[object]], folder: Path) -> Path:
    path = folder / "f.csv"
    lines = ["Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu"]
    lines += [",".join('"' + str(v).replace('"', '""') + '"' for v in row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _write_xlsx(rows: list[list[object]], folder: Path) -> Path:
    path = folder / "f.xlsx"
    wb = xlsxwriter.Workbook(path, {"nan_inf_to_errors": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("Số liệu")
    ws.write_row(0, 0, ["Mã chỉ tiêu", "Đơn vị hành chính", "Kỳ báo cáo", "Giá trị", "Loại số liệu"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return path


def _check_result(path: Path) -> None:
    result = parse_file(path, "nnptnt")
    assert all(isinstance(r, ParsedRow) for r in result.rows)
    assert all(isinstance(p, Problem) and p.message_vi and p.message_en for p in result.problems)
    assert result.rows or any(p.severity == ERROR for p in result.problems)
    for row in result.rows:
        assert row.value.is_finite() and row.value_type in ("actual", "estimate")


row_strategy = st.lists(st.lists(cell, min_size=0, max_size=5), max_size=8)


@QUICK
@given(row_strategy)
def test_generated_csv_gives_rows_or_problems(rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory(prefix="vqfuzz") as folder:
        _check_result(_write_csv(rows, Path(folder)))


@QUICK
@given(row_strategy)
def test_generated_xlsx_gives_rows_or_problems(rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory(prefix="vqfuzz") as folder:
        _check_result(_write_xlsx(rows, Path(folder)))


@QUICK
@given(st.binary(max_size=400), st.sampled_from(["xlsx", "xls", "ods", "csv", "tsv", "xlsm"]))
def test_random_bytes_never_crash(data: bytes, ext: str) -> None:
    with tempfile.TemporaryDirectory(prefix="vqfuzz") as folder:
        path = Path(folder) / f"f.{ext}"
        path.write_bytes(data)
        _check_result(path)


@pytest.mark.slow
@LONG
@given(number_like, cell, st.text(max_size=40))
def test_parsers_at_length(text: str, value: object, name: str) -> None:
    _check_numbers(text)
    periods.parse(value)
    UNITS.resolve(name, date(2022, 6, 1))


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(row_strategy, st.booleans())
def test_generated_files_at_length(rows: list[list[object]], as_xlsx: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="vqfuzz") as folder:
        _check_result(_write_xlsx(rows, Path(folder)) if as_xlsx else _write_csv(rows, Path(folder)))
