"""Celery settings of the platform's workers (``[celery] celery_config_options``).

Airflow's defaults, plus one thing: each worker imports what the preload plugin imports
(Great Expectations, the readers and pipeline, Cosmos, dbt) once, before it forks its pool, so
that every task inherits them. Under the LocalExecutor the plugin does this in the scheduler,
which the task processes fork from; a Celery worker loads no plugin before it forks, and every
task would otherwise pay these imports itself (several seconds each on a small machine).
Failures are logged, never raised: the tasks then import what they need.
"""

from __future__ import annotations

import logging

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import import_modules

log = logging.getLogger(__name__)

CELERY_CONFIG = DEFAULT_CELERY_CONFIG


@import_modules.connect
def warm_ingestion(*args: object, **kwargs: object) -> None:
    try:
        import great_expectations  # noqa: F401 - loaded once, inherited by the pool's forks

        from ingest import parse, pipeline  # noqa: F401
        from ingest.validation.context import get_context

        get_context()
        import cosmos.operators.local  # noqa: F401
        import dbt.adapters.postgres
        import dbt.cli.main  # noqa: F401
    except Exception:
        log.exception("Could not preload the ingestion libraries; tasks will import them themselves")
