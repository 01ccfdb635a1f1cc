"""Systems: pull figures from the offices' own systems, one DAG per declared source.

The sources are the YAML declarations in ``ingest/systems/sources/``; each DAG pulls on its
source's own schedule through the same load path as a file, and publishes the raw Asset
only when figures were loaded (which schedules the transform DAG). Refused credentials, a
changed shape or a missing page fail the task at once (retrying cannot help); server errors
and time-outs that outlast the connector's own retries are left to Airflow's retries.
"""

from __future__ import annotations

import logging

from airflow.sdk import Asset, CronTriggerTimetable, dag, task
from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException
from common.defaults import DEFAULT_ARGS, LOCAL_TZ, RAW_ASSET_NAME, RAW_ASSET_URI, START_DATE, TAGS

from ingest.systems.spec import SOURCES_DIR, SourceSpec, load_file

RAW_FIGURES = Asset(name=RAW_ASSET_NAME, uri=RAW_ASSET_URI)
log = logging.getLogger(__name__)


def build(spec: SourceSpec) -> None:
    @dag(
        dag_id=f"vanquan_systems_{spec.name}",
        schedule=CronTriggerTimetable(spec.schedule, timezone=LOCAL_TZ),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=[*TAGS, "ingest", "systems", spec.office_code],
        description=spec.description or f"Pull {spec.name} ({spec.kind})",
        doc_md=__doc__,
    )
    def systems_dag() -> None:
        @task(pool="warehouse")
        def pull(source: str = spec.name) -> dict[str, object]:
            """Pull the source since its watermark and load what it brought."""
            from ingest.systems.errors import SourceError
            from ingest.systems.pull import pull as pull_source

            try:
                outcome = pull_source(source)
            except SourceError as exc:
                if exc.retryable:
                    raise
                raise AirflowFailException(str(exc)) from exc
            if outcome.status == "failed":
                raise RuntimeError(f"{source}: {outcome.message_en}")
            return {
                "source": source,
                "status": outcome.status,
                "loaded": outcome.loaded and outcome.rows_loaded > 0,
                "rows_loaded": outcome.rows_loaded,
                "file_id": outcome.file_id,
            }

        @task(outlets=[RAW_FIGURES])
        def publish(outcome: dict[str, object]) -> int:
            """Announce new raw figures; skipped (no Asset event) when the pull brought none."""
            if not outcome.get("loaded"):
                raise AirflowSkipException(f"{outcome.get('source')}: nothing new ({outcome.get('status')})")
            return int(outcome.get("rows_loaded") or 0)

        publish(pull())

    systems_dag()


for _path in sorted(SOURCES_DIR.glob("*.yml")):
    try:
        _spec = load_file(_path)
    except Exception:  # one broken declaration must not hide the other sources' DAGs
        log.exception("cannot read source declaration %s", _path)
        continue
    build(_spec)
