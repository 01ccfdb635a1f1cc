"""The inbox DAG's wiring: one file's failed task never keeps the others from publishing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import settings

pytestmark = pytest.mark.timeout(300)

DAGS_DIR = settings.REPO_ROOT / "dags"
PROBE = """
import json, sys
sys.path.insert(0, {dags!r})
from airflow.dag_processing.dagbag import DagBag
from airflow.sdk.exceptions import AirflowSkipException
bag = DagBag(dag_folder={path!r}, safe_mode=False)
dag = bag.dags["vanquan_inbox"]
publish = dag.get_task("publish")
call = publish.python_callable
def skipped(outcomes):
    try:
        call(outcomes)
    except AirflowSkipException:
        return True
    return False
print(json.dumps({{
    "errors": {{k: v[-2000:] for k, v in bag.import_errors.items()}},
    "trigger_rule": str(publish.trigger_rule),
    "upstream": sorted(publish.upstream_task_ids),
    "outlets": [getattr(o, "name", None) for o in publish.outlets],
    "two_of_three": call([{{"loaded": True}}, {{"loaded": False, "status": "quarantined"}}, {{"loaded": True}}]),
    "none_loaded_skips": skipped([{{"loaded": False}}]),
    "no_outcome_skips": skipped(None),
}}))
"""


def test_publish_runs_when_every_file_task_is_done_and_counts_only_loads(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PLATFORM_HOME": str(tmp_path),
        "PLATFORM_MODE": "demo",
        "WAREHOUSE_PORT": "9",  # nothing listens there: parsing must not touch the warehouse
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp_path}/airflow.db",
        "PYTHONPATH": str(settings.REPO_ROOT),
    }
    code = PROBE.format(dags=str(DAGS_DIR), path=str(DAGS_DIR / "inbox.py"))
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])

    assert report["errors"] == {}
    assert report["trigger_rule"].lower().endswith("all_done")  # a failed or killed file task never blocks it
    assert report["upstream"] == ["ingest_one"]
    assert report["outlets"] == ["vanquan_raw_figures"]
    assert report["two_of_three"] == 2
    assert report["none_loaded_skips"] and report["no_outcome_skips"]
