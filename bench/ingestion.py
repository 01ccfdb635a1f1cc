"""Ingestion throughput: the real path beside a plain pandas script and PostgreSQL's COPY.

Two sizes: the largest file one office can send with every row valid (the key limit,
see ``bench.files``), measured end to end through ``ingest.pipeline.ingest_file``; and
the big file (100,000 rows in full mode), whose keys repeat, measured stage by stage.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import sqlalchemy

from bench import files
from bench.env import psql
from bench.stages import StageTimes, run_stages
from bench.stats import Sample, repeat, timed
from core import settings

log = logging.getLogger(__name__)

SCRATCH_PLAIN = "bench_plain"
SCRATCH_COPY = "bench_copy"
# The baselines' scratch tables: the loader may only append to raw (it owns nothing there), so
# they live in the transformer's staging schema, as that role, and are dropped afterwards.
SCRATCH_ROLE, SCRATCH_SCHEMA = "transformer", "staging"


def _real(folder: Path, fmt: str, rows: int, runs: int) -> tuple[Sample, list[str]]:
    from ingest.pipeline import ingest_file

    statuses: list[str] = []

    def once(i: int) -> None:
        path = files.write(fmt, folder / f"real-{fmt}-{rows}-{i}.{fmt}", rows, f"real {fmt} {rows} {i}")
        outcome = ingest_file(path, files.OFFICE)
        statuses.append(outcome.status)

    return repeat(once, runs), statuses


def _stages(path: Path, runs: int) -> list[StageTimes]:
    return [run_stages(path, files.OFFICE) for _ in range(runs)]


def _plain(path: Path, runs: int) -> Sample:
    """What a user would write: pandas (openpyxl for xlsx), then to_sql through SQLAlchemy."""
    engine = sqlalchemy.create_engine(settings.role_url(SCRATCH_ROLE, driver="postgresql+psycopg2"))

    def once(_: int) -> None:
        if path.suffix == ".csv":
            frame = pd.read_csv(path)
        else:
            sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
            frame = pd.concat(sheets.values(), ignore_index=True)
        frame.to_sql(SCRATCH_PLAIN, engine, schema=SCRATCH_SCHEMA, if_exists="replace", index=False)

    try:
        return repeat(once, runs)
    finally:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f"drop table if exists {SCRATCH_SCHEMA}.{SCRATCH_PLAIN}"))
        engine.dispose()


def _copy(path: Path, runs: int) -> Sample:
    """PostgreSQL's own COPY of the same csv, with psql, into a table of six text columns."""
    psql(
        f"create table if not exists {SCRATCH_SCHEMA}.{SCRATCH_COPY} (indicator text, admin_unit text, period text,"
        " value text, value_type text, note text)",
        role=SCRATCH_ROLE,
    )

    def once(_: int) -> None:
        psql(f"\\copy {SCRATCH_SCHEMA}.{SCRATCH_COPY} from '{path}' with (format csv, header true)", role=SCRATCH_ROLE)

    try:
        sample = Sample()
        for i in range(runs):
            psql(f"truncate {SCRATCH_SCHEMA}.{SCRATCH_COPY}", role=SCRATCH_ROLE)
            elapsed, _ = timed(lambda i=i: once(i))
            sample.runs.append(elapsed)
        return sample
    finally:
        psql(f"drop table if exists {SCRATCH_SCHEMA}.{SCRATCH_COPY}", role=SCRATCH_ROLE)


def _median_stages(times: list[StageTimes]) -> dict[str, float]:
    return {name: Sample([getattr(t, name) for t in times]).median for name in ("parse", "validate", "load", "total")}


def measure(work: Path, big_rows: int, runs: int) -> dict[str, object]:
    """Every comparison of the section, side by side in this run."""
    valid_rows = files.key_limit()
    folder = work / "ingest"
    out: dict[str, object] = {"office": files.OFFICE, "valid_rows": valid_rows, "big_rows": big_rows, "runs": runs}

    # Warm-up, not counted: the first call imports Great Expectations and builds its context.
    _real(folder, "csv", 50, 1)

    results: dict[str, dict[str, object]] = {}
    for size_name, rows in (("valid", valid_rows), ("big", big_rows)):
        for fmt in ("xlsx", "csv"):
            key = f"{size_name}_{fmt}"
            path = files.write(fmt, folder / f"stages-{key}.{fmt}", rows, key)
            log.info("ingestion: %s (%d rows)", key, rows)
            entry: dict[str, object] = {"rows": rows, "format": fmt, "bytes": path.stat().st_size}
            stage_times = _stages(path, runs)
            entry["stages"] = _median_stages(stage_times)
            entry["validation_problems"] = stage_times[0].problems
            if size_name == "valid":
                sample, statuses = _real(folder, fmt, rows, runs)
                entry["real"] = {"median_s": sample.median, "runs": sample.runs, "statuses": statuses}
            sample = _plain(path, runs)
            entry["plain"] = {"median_s": sample.median, "runs": sample.runs}
            if fmt == "csv":
                sample = _copy(path, runs)
                entry["copy"] = {"median_s": sample.median, "runs": sample.runs}
            results[key] = entry
    out["results"] = results
    return out
