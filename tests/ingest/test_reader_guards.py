"""Guard rails: size limit, oversize sheets, endless blank rows, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import readers
from ingest.parse import parse_file

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị\n"


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,1\n" * 100, encoding="utf-8")
    monkeypatch.setenv("INGEST_MAX_FILE_BYTES", "1000")
    result = parse_file(path, "nnptnt")
    assert [(p.severity, p.rule, p.value_found) for p in result.problems] == [
        ("error", "file_too_large", str(path.stat().st_size))
    ]
    monkeypatch.delenv("INGEST_MAX_FILE_BYTES")
    assert len(parse_file(path, "nnptnt").rows) == 100


def test_millions_of_blank_lines_do_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" + ",,,\n" * 1_000_000, encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert [(r.source_row, r.value) for r in result.rows] == [(2, 5)]
    assert result.problems == []


def test_too_many_data_rows_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_MAX_SHEET_ROWS", "1000")
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" * 1000, encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert (result.rows, [(p.rule, p.value_found) for p in result.problems]) == ([], [("sheet_too_large", "1001 x 4")])
    assert "1.001 dòng × 4 cột; tối đa 1.000 dòng" in result.problems[0].message_vi
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" * 999, encoding="utf-8")
    shorter = parse_file(path, "nnptnt")
    assert (len(shorter.rows), shorter.problems) == (999, [])


def test_cell_cap_refuses_a_wide_and_long_text_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_MAX_SHEET_CELLS", "400")
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" * 99, encoding="utf-8")  # 100 x 4 = 400 cells
    assert [p.rule for p in parse_file(path, "nnptnt").problems] == []
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" * 100, encoding="utf-8")
    assert [p.rule for p in parse_file(path, "nnptnt").problems] == ["sheet_too_large"]


def test_a_100000_row_csv_is_read_whole(tmp_path: Path) -> None:
    """An office's file is a few thousand rows; 100,000 (the benchmark's size) is well inside the caps."""
    path = tmp_path / "long.csv"
    lines = [f"sown_area,Liên Hội,2022-{1 + i % 12:02d},{i}\n" for i in range(100_000)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert result.problems == []
    assert len(result.rows) == 100_000
    assert (result.rows[-1].source_row, result.rows[-1].value, result.rows[-1].period_code) == (
        100_001,
        99_999,
        "2022-04",
    )


def test_unsupported_extension_and_empty_file(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.csv").write_bytes(b"")
    assert [p.rule for p in parse_file(tmp_path / "a.pdf", "nnptnt").problems] == ["unsupported_format"]
    assert [p.rule for p in parse_file(tmp_path / "b.csv", "nnptnt").problems] == ["file_empty"]


def test_decode_picks_the_encoding() -> None:
    text = "Mã chỉ tiêu,Đơn vị\n"
    assert readers.decode(text.encode("utf-8")) == (text, "utf-8")
    assert readers.decode(text.encode("utf-8-sig")) == (text, "utf-8-sig")
    assert readers.decode(text.encode("utf-16")) == (text, "utf-16")
    assert readers.decode("Ha Noi \xe9\n".encode("cp1258")) == ("Ha Noi é\n", "cp1258")
