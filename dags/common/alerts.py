"""Record and announce failures so that engineers see them without opening Airflow.

The Airflow failure callback of ``common.defaults`` imports this module only when a task
fails, so parsing a DAG file never loads psycopg2 or the settings.
"""

from __future__ import annotations

import logging

import psycopg2

from core import settings

log = logging.getLogger(__name__)


def record_task_failure(*, dag_id: str, task_id: str, run_id: str, try_number: int, error: str) -> None:
    """Write the failure to audit.task_failures; never raise (it runs inside a callback)."""
    log.error("Task failed: %s.%s run=%s try=%s: %s", dag_id, task_id, run_id, try_number, error)
    try:
        with psycopg2.connect(**settings.role_dsn("loader")) as conn, conn.cursor() as cur:
            cur.execute(
                "insert into audit.task_failures (dag_id, task_id, run_id, try_number, error)"
                " values (%s, %s, %s, %s, %s)",
                (dag_id, task_id, run_id, try_number, error[:4000]),
            )
        conn.close()
    except Exception:  # the warehouse itself may be what failed
        log.exception("Could not record the task failure in the warehouse")
