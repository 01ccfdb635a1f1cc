"""Write one file's outcome to the warehouse: audit row, problems and figures, with COPY."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from psycopg2.extras import execute_values

from ingest.model import ParsedRow, Problem

FIGURE_COLUMNS = (
    "file_id",
    "source_kind",
    "source_name",
    "source_sha256",
    "office_code",
    "indicator_code",
    "admin_unit_code",
    "period_code",
    "period_grain",
    "period_start",
    "period_end",
    "value",
    "value_type",
    "note",
    "sheet_name",
    "source_row",
    "warnings",
    "received_at",
    "source_changed_at",
)


@dataclass(frozen=True)
class FileRecord:
    """The audit row of one file or pull."""

    source_kind: str
    source_name: str
    office_code: str
    original_name: str
    relative_path: str | None
    sha256: str
    size_bytes: int | None
    received_at: datetime
    status: str
    layout: str | None = None
    template_version: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    error_count: int = 0
    warning_count: int = 0
    stored_path: str | None = None
    report_path: str | None = None
    duplicate_of: int | None = None
    watermark: str | None = None
    message_vi: str | None = None
    message_en: str | None = None


def insert_file(cur, record: FileRecord) -> int:
    """Insert the audit row and return its file_id."""
    fields = [name for name in record.__dataclass_fields__]
    cur.execute(
        f"insert into audit.ingest_files ({', '.join(fields)}, finished_at)"  # noqa: S608 - fixed column names
        f" values ({', '.join(['%s'] * len(fields))}, now()) returning file_id",
        [getattr(record, name) for name in fields],
    )
    return int(cur.fetchone()[0])


def insert_problems(cur, file_id: int, problems: Iterable[Problem]) -> None:
    rows = [
        (
            file_id,
            p.severity,
            p.rule,
            p.sheet_name,
            p.source_row,
            p.column_name,
            None if p.value_found is None else str(p.value_found)[:500],
            p.expected,
            p.message_vi,
            p.message_en,
        )
        for p in problems
    ]
    if rows:
        # Multi-row inserts, 1,000 rows a statement: a file can carry one problem per row, and
        # executemany would send 100,000 statements one round trip at a time.
        execute_values(
            cur,
            "insert into audit.ingest_problems (file_id, severity, rule, sheet_name, source_row, column_name,"
            " value_found, expected, message_vi, message_en) values %s",
            rows,
            page_size=1000,
        )


def copy_figures(
    cur,
    file_id: int,
    record: FileRecord,
    rows: Iterable[ParsedRow],
    warnings: dict[tuple[str, int], list[str]],
) -> int:
    """Stream the figures into raw.submitted_figures with COPY; returns how many were written.

    The csv is made as PostgreSQL asks for it (:class:`CsvStream`), never whole in memory."""
    fixed = (file_id, record.source_kind, record.source_name, record.sha256, record.office_code)
    received_at = record.received_at.isoformat()

    def lines() -> Iterator[tuple]:
        for row in rows:
            row_warnings = warnings.get((row.sheet_name, row.source_row))
            yield (
                *fixed,
                row.indicator_code,
                row.admin_unit_code,
                row.period_code,
                row.period_grain,
                row.period_start.isoformat(),
                row.period_end.isoformat(),
                str(row.value),
                row.value_type,
                "" if row.note is None else row.note,
                row.sheet_name,
                row.source_row,
                "" if not row_warnings else "; ".join(row_warnings),
                received_at,
                "" if row.source_changed_at is None else row.source_changed_at.isoformat(),
            )

    stream = CsvStream(lines())
    cur.copy_expert(
        f"copy raw.submitted_figures ({', '.join(FIGURE_COLUMNS)}) from stdin with (format csv, null '')",
        stream,
        size=CsvStream.CHUNK_BYTES,
    )
    return stream.count


class CsvStream:
    """A read-only file over csv records, encoded a chunk at a time as COPY reads it."""

    CHUNK_BYTES = 256 * 1024
    _RECORDS_PER_CHUNK = 1000

    def __init__(self, records: Iterator[tuple]) -> None:
        self._records = records
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\n")
        self._pending = b""
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._pending) < size:
            batch = list(itertools.islice(self._records, self._RECORDS_PER_CHUNK))
            if not batch:
                break
            self._writer.writerows(batch)
            self.count += len(batch)
            self._pending += self._text.getvalue().encode("utf-8")
            self._text.seek(0)
            self._text.truncate()
        if size < 0:
            size = len(self._pending)
        chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk


def save_watermark(cur, source_name: str, watermark: str) -> None:
    cur.execute(
        "insert into raw.source_watermarks (source_name, watermark) values (%s, %s)"
        " on conflict (source_name) do update set watermark = excluded.watermark, updated_at = now()",
        (source_name, watermark),
    )
