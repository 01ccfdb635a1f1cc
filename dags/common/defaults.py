"""One place for what every DAG of the platform shares: owner, retries, time-outs, alerts.

Cheap to import: no database, network or heavy imports at module level.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.settings import LOCAL_TZ_NAME

OWNER = "vanquan-data"
TAGS = ["vanquan"]
START_DATE = datetime(2022, 1, 1)
# The offices' clock: cron times of the DAGs (and of the systems' YAML) are local times.
LOCAL_TZ = LOCAL_TZ_NAME

# The Asset that every load publishes and the transform DAG is scheduled on.
RAW_ASSET_NAME = "vanquan_raw_figures"
RAW_ASSET_URI = "postgres://warehouse:5432/warehouse/raw/submitted_figures"
# The inbox Asset: its watcher (ingest.inbox_watch) updates it when files become ready, which
# starts the inbox DAG; how often the watcher looks, in seconds.
INBOX_ASSET_NAME = "vanquan_inbox_drops"
INBOX_WATCH_SECONDS = 1.0
MARTS_ASSET_NAME = "vanquan_marts"
MARTS_ASSET_URI = "postgres://warehouse:5432/warehouse/marts/fct_target_attainment"


def on_task_failure(context: dict[str, Any]) -> None:
    """Record a failed task in the warehouse audit and notify the engineers."""
    from common.alerts import record_task_failure  # imported only when a task fails

    task_instance = context.get("task_instance") or context.get("ti")
    record_task_failure(
        dag_id=getattr(task_instance, "dag_id", "?"),
        task_id=getattr(task_instance, "task_id", "?"),
        run_id=str(context.get("run_id", "?")),
        try_number=int(getattr(task_instance, "try_number", 0) or 0),
        error=repr(context.get("exception")),
    )


DEFAULT_ARGS: dict[str, Any] = {
    "owner": OWNER,
    "retries": 2,
    "retry_delay": timedelta(seconds=30),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=10),
    "execution_timeout": timedelta(minutes=30),
    "on_failure_callback": on_task_failure,
}
