"""The figures' COPY input, made a chunk at a time: the bytes PostgreSQL reads are exactly the csv."""

from __future__ import annotations

import csv
import io

import pytest

from ingest.load import CsvStream


def _records(n: int) -> list[tuple]:
    # Multi-byte text, quotes, commas and empty cells: what a chunk boundary could cut badly.
    return [(i, f"Xã Tân Đoàn, thôn «{i}»", 'ghi "chú"' if i % 3 else "", 12.5 * i) for i in range(n)]


def _whole(records: list[tuple]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(records)
    return text.getvalue().encode("utf-8")


@pytest.mark.parametrize("size", [1, 7, 8192, CsvStream.CHUNK_BYTES, -1])
def test_reading_in_any_size_gives_the_whole_csv_and_its_count(size):
    records = _records(2_503)  # more than two of the stream's batches, and a part of one
    stream = CsvStream(iter(records))
    parts = []
    while chunk := stream.read(size):
        assert size < 0 or len(chunk) <= size
        parts.append(chunk)
    assert b"".join(parts) == _whole(records)
    assert stream.count == len(records)


def test_no_records_read_as_empty():
    stream = CsvStream(iter([]))
    assert stream.read(8192) == b""
    assert stream.count == 0
