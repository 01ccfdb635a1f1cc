"""The real load path cut into its stages, so the slowest one can be named.

Each stage calls the same functions ``ingest.pipeline.ingest_file`` calls: ``parse_file``
(calamine or the csv reader, names, periods, numbers), ``validate_submission`` (the
office's Great Expectations suite, with history from the warehouse) and
``load.insert_file`` + ``load.copy_figures`` (COPY), the last rolled back so that files
larger than the key limit can be measured without leaving rows behind.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from core import settings
from ingest import load
from ingest.load import FileRecord


@dataclass
class StageTimes:
    parse: float
    validate: float
    load: float
    rows: int
    problems: int

    @property
    def total(self) -> float:
        return self.parse + self.validate + self.load


def run_stages(path: Path, office_code: str) -> StageTimes:
    from ingest.parse import parse_file
    from ingest.validate import validate_submission

    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        start = time.perf_counter()
        result = parse_file(path, office_code)
        parsed = time.perf_counter()
        outcome = validate_submission(result.rows, office_code, source_label=path.name, history_conn=conn)
        validated = time.perf_counter()
        record = FileRecord(
            source_kind="file",
            source_name=f"inbox/{office_code}",
            office_code=office_code,
            original_name=path.name,
            relative_path=path.name,
            sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            size_bytes=path.stat().st_size,
            received_at=datetime.now(UTC),
            status="loaded",
            rows_read=len(result.rows),
            rows_loaded=len(result.rows),
        )
        with conn.cursor() as cur:
            file_id = load.insert_file(cur, record)
            load.copy_figures(cur, file_id, record, result.rows, {})
        conn.rollback()
        loaded = time.perf_counter()
    finally:
        conn.close()
    return StageTimes(parsed - start, validated - parsed, loaded - validated, len(result.rows), len(outcome.problems))
