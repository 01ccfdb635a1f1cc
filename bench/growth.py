"""Growth: dbt build time, and dashboard latency, as the history grows 1x, 10x, 100x...

History comes from ``bench.history`` (scale-mode files loaded with COPY). At each scale:
a full build (``dbt build --full-refresh``), then, per run, one new real file through
``ingest_file`` followed by the transform DAG's build of what a load touched (``transform.builds``), in the
warm dbt server the DAG uses.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from bench import dashboard, files, history
from bench.stats import Sample, timed
from transform import warm_dbt
from transform.builds import load_build_args
from transform.dbt_runner import DbtRunError, run_dbt

log = logging.getLogger(__name__)

NEW_FILE_ROWS = 68  # one commune's month of figures, both indicators and value types


def _build(args: list[str]) -> tuple[float, str | None]:
    try:
        elapsed, _ = timed(lambda: run_dbt(args))
        return elapsed, None
    except DbtRunError as exc:
        return float("nan"), str(exc)[-500:]


def measure(
    work: Path,
    scales: list[int],
    runs: int,
    requests: int,
    superset: Callable[[], AbstractContextManager[object]] | None = None,
) -> list[dict[str, object]]:
    """``superset``, when given, starts Superset (entered once the marts exist) for the chart data API."""
    from ingest.pipeline import ingest_file

    with contextlib.ExitStack() as stack:
        stack.enter_context(warm_dbt.serving())  # the transform DAG's builds run in it too
        run_dbt(["seed"])
        folder = history.generate(work, max(scales))
        loaded = 0
        client = None
        results: list[dict[str, object]] = []
        for scale in scales:
            counts = history.load_range(folder, loaded + 1, scale)
            loaded = scale
            log.info("growth: %dx history (%s)", scale, counts)
            full, incremental = Sample(), Sample()
            errors: list[str] = []
            for _ in range(runs):
                elapsed, error = _build(["build", "--full-refresh"])
                full.runs.append(elapsed)
                errors += [error] if error else []
            if superset is not None and client is None:
                log.info("growth: starting Superset for the chart data API")
                client = stack.enter_context(superset())
            for i in range(runs):
                path = files.write_csv(work / "new" / f"new-{scale}-{i}.csv", NEW_FILE_ROWS, f"growth {scale} {i}")
                ingest_file(path, files.OFFICE)
                elapsed, error = _build(load_build_args())
                incremental.runs.append(elapsed)
                errors += [error] if error else []
            results.append(
                {
                    "scale": scale,
                    "history_files_added": counts["files"],
                    "history_rows_added": counts["rows"],
                    "full_build_s": full.median,
                    "full_build_runs": full.runs,
                    "incremental_build_s": incremental.median,
                    "incremental_build_runs": incremental.runs,
                    "dbt_errors": errors,
                    "dashboard": dashboard.measure(requests),
                    "dashboard_api": dashboard.measure_api(client, requests) if client is not None else None,
                }
            )
        return results
