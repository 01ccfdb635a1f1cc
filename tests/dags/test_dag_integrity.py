"""DAG integrity: every DAG file imports cleanly and cheaply, with the shared defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import settings
from tests.conftest import restore_environ

DAGS_DIR = settings.REPO_ROOT / "dags"
DAG_FILES = sorted(p.name for p in DAGS_DIR.glob("*.py"))
HEAVY_MODULES = (
    "great_expectations",
    "psycopg2",
    "pandas",
    "openpyxl",
    "python_calamine",
    "requests",
    "ingest.pipeline",
)


@pytest.fixture(scope="module")
def dag_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment where any database or network use at import time would fail."""
    from transform.dbt_runner import run_dbt

    home = tmp_path_factory.mktemp("dags")
    env = {
        **os.environ,
        "PLATFORM_HOME": str(home),
        "PLATFORM_MODE": "demo",
        "WAREHOUSE_PORT": "9",  # nothing listens there
        "AIRFLOW_HOME": str(home / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "PYTHONPATH": str(settings.REPO_ROOT),
    }
    saved = {k: os.environ.get(k) for k in ("PLATFORM_HOME", "WAREHOUSE_PORT")}
    os.environ.update({"PLATFORM_HOME": env["PLATFORM_HOME"], "WAREHOUSE_PORT": "9"})
    try:
        run_dbt(["parse"])  # the manifest the transform DAG renders from (no database needed)
    finally:
        restore_environ(saved)
    return env


PROBE = """
import json, sys, time
sys.path.insert(0, {dags!r})
from airflow.dag_processing.dagbag import DagBag
before = set(sys.modules)
started = time.perf_counter()
bag = DagBag(dag_folder={path!r}, safe_mode=False)
elapsed = time.perf_counter() - started
def assets(condition):
    if condition is None:
        return []
    if hasattr(condition, "watchers"):
        return [condition]
    return [a for part in getattr(condition, "objects", []) for a in assets(part)]
dags = {{}}
for dag_id, dag in bag.dags.items():
    tasks = dag.tasks
    dags[dag_id] = {{
        "tags": sorted(dag.tags),
        "owners": sorted({{t.owner for t in tasks}}),
        "retries": min(t.retries for t in tasks),
        "schedule": " ".join((type(dag.timetable).__name__, repr(getattr(dag, "schedule", "")))),
        "max_active_runs": dag.max_active_runs,
        "catchup": dag.catchup,
        "on_failure": all(t.on_failure_callback for t in tasks),
        "n_tasks": len(tasks),
        "watchers": [
            {{"asset": a.name, "watcher": w.name, "trigger": w.trigger.serialize()}}
            for a in assets(getattr(dag.timetable, "asset_condition", None))
            for w in a.watchers
        ],
    }}
print(json.dumps({{"errors": {{k: v[-2000:] for k, v in bag.import_errors.items()}}, "dags": dags,
                  "loaded": sorted(m for m in set(sys.modules) - before)}}))
"""


def _load(dag_file: str, env: dict[str, str]) -> dict:
    code = PROBE.format(dags=str(DAGS_DIR), path=str(DAGS_DIR / dag_file))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("dag_file", DAG_FILES)
def test_dag_file_imports_cleanly_with_shared_defaults(dag_file: str, dag_env: dict[str, str]) -> None:
    report = _load(dag_file, dag_env)
    assert report["errors"] == {}
    assert report["dags"], f"{dag_file} defines no DAG"
    for dag_id, dag in report["dags"].items():
        assert dag_id.startswith("vanquan_"), dag_id
        assert "vanquan" in dag["tags"], dag_id
        assert dag["owners"] == ["vanquan-data"], dag_id
        assert dag["retries"] >= 1, dag_id
        assert dag["catchup"] is False, dag_id
        assert dag["on_failure"], f"{dag_id}: every task needs the shared failure callback"
    heavy = [m for m in HEAVY_MODULES if m in report["loaded"]]
    assert heavy == [], f"{dag_file} imports heavy modules at parse time: {heavy}"


EXPECTED_SCHEDULES = {
    "vanquan_inbox": "AssetOrTimeSchedule",  # the inbox watcher's Asset, or once a minute
    "vanquan_transform": "Asset",
    "vanquan_dashboards": "Asset",
}


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_SCHEDULES))
def test_core_dags_are_scheduled_as_intended(dag_id: str, dag_env: dict[str, str]) -> None:
    dag_file = {"vanquan_inbox": "inbox.py", "vanquan_transform": "transform.py", "vanquan_dashboards": "dashboards.py"}
    report = _load(dag_file[dag_id], dag_env)
    assert EXPECTED_SCHEDULES[dag_id] in report["dags"][dag_id]["schedule"]
    assert report["dags"][dag_id]["max_active_runs"] == 1


def test_a_drop_starts_the_inbox_dag_through_its_watcher(dag_env: dict[str, str]) -> None:
    """The inbox Asset is watched by the triggerer's inbox trigger, over this home's inbox."""
    report = _load("inbox.py", dag_env)
    inbox = str(Path(dag_env["PLATFORM_HOME"]) / "inbox")
    assert report["dags"]["vanquan_inbox"]["watchers"] == [
        {
            "asset": "vanquan_inbox_drops",
            "watcher": "vanquan_inbox_watch",
            "trigger": [
                "ingest.inbox_watch.InboxWatchTrigger",
                {"inbox": inbox, "poll_seconds": 1.0, "settle_seconds": None},
            ],
        }
    ]


def test_transform_dag_is_one_dbt_build_then_the_mart_check(dag_env: dict[str, str]) -> None:
    report = _load("transform.py", dag_env)
    assert report["dags"]["vanquan_transform"]["n_tasks"] == 2  # dbt_build, validate_marts
