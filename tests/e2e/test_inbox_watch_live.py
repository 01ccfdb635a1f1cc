"""A drop starts the inbox DAG through the triggerer's watcher, in the real Airflow.

Airflow standalone (scheduler, DAG processor, triggerer, API server) runs on this test's
warehouse with only the inbox DAG unpaused. Once the watcher is registered in the triggerer,
one valid file of the social insurance office is dropped: the watcher's Asset event names it,
an inbox run is started by that event (not by the minute's safety net alone), and the file
is loaded exactly once and archived. The settle time is an hour, so the file is taken only
because the watcher saw its writer finish it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from bench import files
from core import settings
from ingest.inbox_watch import CLASSPATH, WATCHING
from tests.conftest import free_port, restore_environ, wait_until
from transform.dbt_runner import run_dbt

pytestmark = pytest.mark.e2e
DAG = "vanquan_inbox"
# An hour: the file can only be taken because the watcher saw its writer finish it (inotify),
# and the DAG took the watcher's word for it, not because it settled.
SETTLE = "3600"


def airflow_rows(sql: str, *args: object) -> list[tuple]:
    """Rows of Airflow's own metadata database (read only)."""
    with psycopg2.connect(settings.role_url("airflow", "airflow")) as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


@pytest.fixture(scope="module")
def airflow(own_warehouse: Path) -> Iterator[None]:
    from runtime import airflow_service, services
    from runtime.env import VENV_BIN, airflow_env

    saved = {k: os.environ.get(k) for k in ("AIRFLOW_PORT", "INBOX_SETTLE_SECONDS")}
    os.environ["AIRFLOW_PORT"] = str(free_port())
    os.environ["INBOX_SETTLE_SECONDS"] = SETTLE
    run_dbt(["seed"])  # the catalogue the suite checks names against
    run_dbt(["parse"])
    airflow_service.setup()
    # Every DAG starts paused: only the inbox DAG is unpaused below, so nothing else takes the
    # machine's two cores or the executor's slots.
    env = {**airflow_env(), "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"}
    services.start("airflow", [str(VENV_BIN / "airflow"), "standalone"], env, airflow_service.health_url(), 900)
    try:
        yield
    finally:
        airflow_service.stop()
        restore_environ(saved)


@pytest.fixture(scope="module")
def watched(airflow: None) -> None:
    """The inbox DAG parsed and unpaused, and its watcher running in the triggerer."""
    from runtime import airflow_service

    def parsed() -> bool:
        """the inbox DAG in Airflow's database"""
        return bool(airflow_rows("select 1 from dag where dag_id = %s", DAG))

    wait_until(parsed)
    airflow_service.airflow("dags", "unpause", DAG, capture=True)

    def running() -> bool:
        """the inbox watcher taken by a triggerer, its watch open (a file written before that
        would have to settle, an hour here)"""
        taken = airflow_rows("select 1 from trigger where classpath = %s and triggerer_id is not null", CLASSPATH)
        log = (settings.paths().logs / "airflow.log").read_text(errors="replace")
        return bool(taken) and f"{WATCHING} {settings.paths().inbox}: finished writes" in log

    wait_until(running)


def test_a_drop_is_announced_started_and_loaded_once(watched: None, admin_conn) -> None:
    name = "bao-cao-bhxh-theo-doi.csv"
    source = files.write_csv(settings.paths().home / "drops" / name, 68, "watcher")
    target = settings.paths().inbox / files.OFFICE / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    written = target.stat()

    def announced() -> list[tuple]:
        """the watcher's Asset event naming the file"""
        return airflow_rows(
            "select e.id, e.extra from asset_event e join asset a on a.id = e.asset_id"
            " where a.name = 'vanquan_inbox_drops'"
        )

    events = wait_until(announced)
    place = f"bhxh/{name}"
    assert [extra for _, extra in events] == [
        {
            "from_trigger": True,
            "payload": {"files": [place], "seen": {place: [written.st_size, written.st_mtime]}},
        }
    ]

    def loaded() -> list[tuple]:
        """the file loaded and gone from the inbox"""
        with admin_conn.cursor() as cur:
            cur.execute("select status, rows_loaded from audit.ingest_files where original_name = %s", (name,))
            rows = cur.fetchall()
        return rows if rows and not target.exists() else []

    assert wait_until(loaded) == [("loaded_with_warnings", 68)]  # every row loaded; its plausibility warnings named
    runs = airflow_rows("select run_type from dag_run where dag_id = %s and run_type = 'asset_triggered'", DAG)
    assert runs == [("asset_triggered",)], "the watcher's event started one inbox run"
    assert list((settings.paths().archive / "bhxh").rglob(f"*{name}")), "the file was archived unchanged"
