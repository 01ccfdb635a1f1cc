"""Freshness: seconds from a file's drop in an inbox to its figure in the attainment mart.

Runs the real Airflow (``runtime.airflow_service``) on the benchmark's state folder, after
the dbt seeds and manifest exist, and times each drop until
``marts.fct_target_attainment.last_received_at`` of the target fed by the file reaches the
file's received time (its modification time, as the inbox DAG records it).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from bench import files
from bench.env import free_port
from bench.stats import Sample
from core import settings
from transform.dbt_runner import run_dbt

log = logging.getLogger(__name__)

TARGET = "XH04"  # fed by bhxh's people_health_insured / population


def _mart_received() -> datetime | None:
    try:
        conn = psycopg2.connect(**settings.role_dsn("transformer"))
    except psycopg2.Error:
        return None
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select max(last_received_at) from marts.fct_target_attainment where target_code = %s", (TARGET,)
            )
            return cur.fetchone()[0]
    except psycopg2.Error:
        return None
    finally:
        conn.close()


def _drop_and_wait(work: Path, index: int, timeout: float) -> float:
    # the note carries the time: a second benchmark on the same demo drops new bytes, not a copy
    # of a file the platform already has (which it would rightly not load again)
    tag = f"freshness {index} {datetime.now(UTC):%Y-%m-%dT%H:%M:%S.%f}"
    source = files.write_csv(work / "fresh" / f"fresh-{index}.csv", 68, tag)
    target = settings.paths().inbox / files.OFFICE / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    shutil.copy(source, target)
    dropped = datetime.fromtimestamp(target.stat().st_mtime, UTC)
    while time.monotonic() - start < timeout:
        seen = _mart_received()
        if seen is not None and seen >= dropped.replace(microsecond=0):
            return time.monotonic() - start
        time.sleep(1)
    raise TimeoutError(f"figure of {source.name} not in the mart after {timeout:.0f} s")


def drops(work: Path, runs: int, timeout: float = 600) -> dict[str, object]:
    """Time one warm-up drop and ``runs`` more against the Airflow already running here."""
    warm = _drop_and_wait(work, 0, timeout)  # the first run also waits for DAG parsing
    sample = Sample()
    for i in range(1, runs + 1):
        sample.runs.append(_drop_and_wait(work, i, timeout))
    return {"first_drop_s": warm, "median_s": sample.median, "runs": sample.runs}


def measure(work: Path, runs: int, timeout: float = 600) -> dict[str, object]:
    from runtime import airflow_service

    os.environ["AIRFLOW_PORT"] = str(free_port())
    run_dbt(["seed"])
    run_dbt(["parse"])
    airflow_service.setup()
    started = time.monotonic()
    airflow_service.start()
    try:
        startup = time.monotonic() - started
        return {"airflow_start_s": startup, **drops(work, runs, timeout)}
    finally:
        airflow_service.stop()
        os.environ.pop("AIRFLOW_PORT", None)


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.freshness``: the same drops into the running demo (``make demo``)."""
    import argparse
    import json
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m bench.freshness", description=main.__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[freshness %(asctime)s] %(message)s", datefmt="%H:%M:%S")
    with tempfile.TemporaryDirectory(prefix="vq-freshness-") as work:
        result = drops(Path(work), args.runs)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
