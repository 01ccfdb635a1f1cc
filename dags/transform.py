"""Transform: when new raw figures land, rebuild what they touch with dbt, then check the marts.

One ``dbt build`` task (threads from the profile) builds only the models and data tests
downstream of the loaded sources (``source:raw+ source:audit+``): one dbt start-up instead of
one per model, which is most of the time a new file waits for the dashboards. dbt's unit
tests are left out of it (no load can change what they check; CI runs them). On a warehouse
where the marts were never built, it builds everything once, unit tests included. The
selection lives in ``transform.builds``, which the benchmark runs too. Each model's and test's result is
written to the task log from dbt's ``run_results.json``, failures first. The Great
Expectations mart suite runs last and publishes the marts Asset only when the marts pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from airflow.sdk import Asset, dag, task
from common.defaults import (
    DEFAULT_ARGS,
    MARTS_ASSET_NAME,
    MARTS_ASSET_URI,
    RAW_ASSET_NAME,
    RAW_ASSET_URI,
    START_DATE,
    TAGS,
)

RAW_FIGURES = Asset(name=RAW_ASSET_NAME, uri=RAW_ASSET_URI)
MARTS = Asset(name=MARTS_ASSET_NAME, uri=MARTS_ASSET_URI)

FIRST_BUILD_PROBE = "marts.fct_target_attainment"


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


@dag(
    dag_id="vanquan_transform",
    schedule=[RAW_FIGURES],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "dbt"],
    doc_md=__doc__,
)
def vanquan_transform() -> None:
    @task(pool="warehouse", retries=1)
    def dbt_build() -> str:
        """Build the models the new figures touch and run their tests; log every result."""
        import logging

        import psycopg2

        from core import settings
        from transform.builds import build_args
        from transform.dbt_runner import run_dbt

        log = logging.getLogger("airflow.task")
        with psycopg2.connect(**settings.role_dsn("transformer")) as conn, conn.cursor() as cur:
            cur.execute("select to_regclass(%s) is not null", (FIRST_BUILD_PROBE,))
            marts_exist = bool(cur.fetchone()[0])
        conn.close()
        args = build_args(marts_exist)
        results_path = Path(settings.paths().dbt_target) / "run_results.json"
        results_path.unlink(missing_ok=True)
        try:
            run_dbt(args)
        finally:
            if results_path.exists():
                for line in result_lines(json.loads(results_path.read_text(encoding="utf-8"))):
                    log.info("dbt: %s", line)
        return " ".join(args)

    @task(outlets=[MARTS])
    def validate_marts() -> None:
        """Run the Great Expectations mart suite; raises if a mart breaks a rule."""
        from transform.marts import validate_marts as run_suite

        run_suite()

    dbt_build() >> validate_marts()


vanquan_transform()
