"""Warm the ingestion libraries once, in the scheduler, for every task to inherit.

The LocalExecutor forks its workers from the scheduler process, and each task is forked
from a worker. Importing Great Expectations, the ingestion package, dbt and Cosmos here
(plugins load when the scheduler starts) spares every inbox task and every dbt model task
the several seconds each of those imports costs on a small machine.
Failures are logged, never raised: a plugin must not stop the scheduler.
"""

from __future__ import annotations

import logging

from airflow.plugins_manager import AirflowPlugin

log = logging.getLogger(__name__)

try:
    import great_expectations  # noqa: F401 - imported for its side effect: loaded once, inherited by forks

    from ingest import parse, pipeline  # noqa: F401
    from ingest.validation.context import get_context

    get_context()
    import cosmos.operators.local  # noqa: F401
    import dbt.adapters.postgres
    import dbt.cli.main  # noqa: F401
except Exception:  # pragma: no cover - depends on the environment the plugin is loaded in
    log.exception("Could not preload the ingestion libraries; tasks will import them themselves")


class PreloadPlugin(AirflowPlugin):
    name = "vanquan_preload"
