"""Inbox: pick up the offices' files within a minute of their drop and load them.

Runs every 30 seconds (one run at a time); one mapped task per ready file; publishes the raw
Asset only when something was loaded, which schedules the transform DAG.

One file can never hold the others back: reading runs in a child process with limits (a file
that kills it is quarantined), a file whose task fails or is killed three times is quarantined
as ``failed`` on its next pick-up (``ingest.inbox.MAX_ATTEMPTS``), and ``publish`` runs once
every file task is done, whatever became of the others, announcing the files that did load.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from common.defaults import DEFAULT_ARGS, RAW_ASSET_NAME, RAW_ASSET_URI, START_DATE, TAGS

RAW_FIGURES = Asset(name=RAW_ASSET_NAME, uri=RAW_ASSET_URI)


def count_loaded(outcomes: object) -> int:
    """How many of the file tasks' outcomes loaded figures; failed tasks (no outcome) count none."""
    loaded = 0
    for outcome in outcomes or []:
        if isinstance(outcome, dict) and outcome.get("loaded"):
            loaded += 1
    return loaded


@dag(
    dag_id="vanquan_inbox",
    schedule=timedelta(seconds=30),  # a dropped file waits 15 s on average, well inside a minute
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "ingest"],
    doc_md=__doc__,
)
def vanquan_inbox() -> None:
    @task
    def detect() -> list[dict[str, str]]:
        """List the complete files waiting in the office inboxes."""
        from core import catalog, settings
        from ingest import inbox

        offices = [o.code for o in catalog.default().offices.values() if o.submits or o.code == "noivu"]
        return [
            {"office_code": f.office_code, "path": str(f.path), "relative_path": f.relative_path}
            for f in inbox.scan(settings.paths().inbox, offices)
        ]

    @task(pool="warehouse", max_active_tis_per_dag=2, priority_weight=10)
    def ingest_one(item: dict[str, str]) -> dict[str, object]:
        """Validate and load one file (idempotent: the same bytes are never loaded twice)."""
        from pathlib import Path

        from ingest import pipeline

        path = Path(item["path"])
        if not path.exists():  # another run finished it meanwhile
            return {"status": "gone", "loaded": False, **item}
        outcome = pipeline.ingest_file(path, item["office_code"], relative_path=item["relative_path"])
        if outcome.status == "failed":
            raise RuntimeError(f"{item['relative_path']}: {outcome.message_en}")
        return {"status": outcome.status, "loaded": outcome.loaded, "file_id": outcome.file_id, **item}

    @task(outlets=[RAW_FIGURES], trigger_rule="all_done")
    def publish(outcomes: list[dict[str, object]] | None) -> int:
        """Announce new raw figures, even when another file's task failed; skipped (no Asset
        event) when nothing was loaded. A failed task left no outcome: only loads count."""
        loaded = count_loaded(outcomes)
        if not loaded:
            raise AirflowSkipException("nothing new was loaded")
        return loaded

    publish(ingest_one.expand(item=detect()))


vanquan_inbox()
