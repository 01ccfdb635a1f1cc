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
        ("error", "file_too_large", str(path.stat().st_size))]
    monkeypatch.delenv("INGEST_MAX_FILE_BYTES")
    assert len(parse_file(path, "nnptnt").rows) == 100


def test_millions_of_blank_lines_do_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" + ",,,\n" * 1_000_000, encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert [(r.source_row, r.value) for r in result.rows] == [(2, 5)]
    assert result.problems == []


def test_too_many_data_rows_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(HEADER + "sown_area,Liên Hội,2022,5\n" * (readers.MAX_ROWS + 5), encoding="utf-8")
    result = parse_file(path, "nnptnt")
    assert (result.rows, [p.rule for p in result.problems]) == ([], ["sheet_too_large"])


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
