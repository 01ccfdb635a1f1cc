"""Inbox: pick up the offices' files seconds after their drop and load them.

Started by the inbox Asset, which a watcher in the triggerer updates as soon as files become
ready (``ingest.inbox_watch``), and once a minute besides, so files still arrive if the
triggerer is down. One run at a time; one mapped task per ready file; publishes the raw Asset
only when something was loaded, which schedules the transform DAG.

One file can never hold the others back: reading runs in a child process with limits (a file
that kills it is quarantined), a file whose task fails or is killed three times is quarantined
as ``failed`` on its next pick-up (``ingest.inbox.MAX_ATTEMPTS``), and ``publish`` runs once
every file task is done, whatever became of the others, announcing the files that did load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from airflow.sdk import Asset, AssetOrTimeSchedule, AssetWatcher, DeltaTriggerTimetable, dag, task
from airflow.sdk.exceptions import AirflowSkipException
from common.defaults import (
    DEFAULT_ARGS,
    INBOX_ASSET_NAME,
    INBOX_WATCH_SECONDS,
    RAW_ASSET_NAME,
    RAW_ASSET_URI,
    START_DATE,
    TAGS,
)

from core import settings
from ingest.inbox_watch import InboxWatchTrigger

RAW_FIGURES = Asset(name=RAW_ASSET_NAME, uri=RAW_ASSET_URI)
INBOX = settings.paths().inbox
INBOX_DROPS = Asset(
    name=INBOX_ASSET_NAME,
    uri=INBOX.as_uri(),
    watchers=[
        AssetWatcher(
            name="vanquan_inbox_watch",
            trigger=InboxWatchTrigger(inbox=str(INBOX), poll_seconds=INBOX_WATCH_SECONDS),
        )
    ],
)


def count_loaded(outcomes: object) -> int:
    """How many of the file tasks' outcomes loaded figures; failed tasks (no outcome) count none."""
    loaded = 0
    for outcome in outcomes or []:
        if isinstance(outcome, dict) and outcome.get("loaded"):
            loaded += 1
    return loaded


@dag(
    dag_id="vanquan_inbox",
    # the watcher starts a run within seconds of a drop; the minute is the safety net
    schedule=AssetOrTimeSchedule(timetable=DeltaTriggerTimetable(timedelta(minutes=1)), assets=[INBOX_DROPS]),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=[*TAGS, "ingest"],
    doc_md=__doc__,
)
def vanquan_inbox() -> None:
    @task
    def detect(triggering_asset_events: Mapping[Asset, Sequence[Any]] | None = None) -> list[dict[str, str]]:
        """List the complete files waiting in the office inboxes: those the watcher announced and
        that have not moved since at once, the others once they settle."""
        from core import settings
        from ingest import inbox, inbox_watch

        extras = [event.extra for events in (triggering_asset_events or {}).values() for event in events]
        root = settings.paths().inbox
        vouched = inbox_watch.vouched_by_announcements(root, inbox_watch.announced(extras))
        return [
            {"office_code": f.office_code, "path": str(f.path), "relative_path": f.relative_path}
            for f in inbox.scan(root, inbox.office_codes(), vouched=vouched)
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
