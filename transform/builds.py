"""What each dbt command of the DAGs selects, and the log of its results: one place, so the
transform DAG, the nightly checks and the benchmark run the same commands.

A load rebuilds only what the new rows touch (``source:raw+ source:audit+``) and runs the data
tests on it; the tests of the raw figures read only the rows the build takes in (the dbt
macro ``new_rows_only``). dbt's unit tests are left out of those builds: they check the SQL's
logic on fixed inputs, which no load can change, so they run where the SQL changes instead:
in CI (``tests/dbt``), in ``make transform``, in the first build of a new warehouse, which
builds everything before any mart exists, and in the nightly full check, which also tests
every row of the history.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from core import settings
from transform.dbt_runner import run_dbt

TOUCHED_BY_LOADS = ("source:raw+", "source:audit+")
NOT_IN_LOAD_BUILDS = ("unit_test",)


def load_build_args() -> list[str]:
    """``dbt build`` of what a load touched, data tests included, unit tests left out."""
    return ["build", "--select", *TOUCHED_BY_LOADS, "--exclude-resource-type", *NOT_IN_LOAD_BUILDS]


def build_args(marts_exist: bool) -> list[str]:
    """The transform DAG's build: a load build, or everything (unit tests first) on a new warehouse."""
    return load_build_args() if marts_exist else ["build"]


def full_check_args() -> list[str]:
    """Every data test on every row, and every unit test: the nightly check of the whole history."""
    return ["test", "--vars", '{"check_all_rows": true}']


def result_lines(run_results: dict) -> list[str]:
    """One line per model, test or seed dbt ran: status, seconds, name; failures first."""
    order = {"error": 0, "fail": 1, "warn": 2, "skipped": 3}
    rows = sorted(
        run_results.get("results", []),
        key=lambda r: (order.get(str(r.get("status")), 4), r.get("unique_id", "")),
    )
    lines = []
    for r in rows:
        message = f" ({r['message']})" if r.get("status") in order and r.get("message") else ""
        lines.append(f"{r.get('status', '?'):<8} {float(r.get('execution_time') or 0):6.2f}s {r['unique_id']}{message}")
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r.get("status"))] = counts.get(str(r.get("status")), 0) + 1
    elapsed = float(run_results.get("elapsed_time") or 0)
    lines.append(f"{len(rows)} nodes in {elapsed:.1f}s: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return lines


def run_logged(args: list[str], log: logging.Logger) -> None:
    """``run_dbt(args)``, then one log line per node from ``run_results.json``, even when dbt failed."""
    results_path = Path(settings.paths().dbt_target) / "run_results.json"
    results_path.unlink(missing_ok=True)
    try:
        run_dbt(args)
    finally:
        if results_path.exists():
            for line in result_lines(json.loads(results_path.read_text(encoding="utf-8"))):
                log.info("dbt: %s", line)
