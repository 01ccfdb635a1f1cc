"""The transform DAG's wiring: one dbt build of what loads touch, then the mart check publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import settings
from transform.builds import build_args, result_lines

pytestmark = pytest.mark.timeout(300)

DAGS_DIR = settings.REPO_ROOT / "dags"
PROBE = """
import json, sys
sys.path.insert(0, {dags!r})
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder={path!r}, safe_mode=False)
dag = bag.dags["vanquan_transform"]
print(json.dumps({{
    "errors": {{k: v[-2000:] for k, v in bag.import_errors.items()}},
    "tasks": sorted(dag.task_ids),
    "check_upstream": sorted(dag.get_task("validate_marts").upstream_task_ids),
    "check_outlets": [getattr(o, "name", None) for o in dag.get_task("validate_marts").outlets],
    "build_outlets": list(dag.get_task("dbt_build").outlets),
}}))
"""


def test_one_build_of_what_loads_touch_then_the_mart_check_publishes(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PLATFORM_HOME": str(tmp_path),
        "PLATFORM_MODE": "demo",
        "WAREHOUSE_PORT": "9",  # nothing listens there: parsing must not touch the warehouse
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp_path}/airflow.db",
        "PYTHONPATH": f"{DAGS_DIR}:{settings.REPO_ROOT}",
    }
    code = PROBE.format(dags=str(DAGS_DIR), path=str(DAGS_DIR / "transform.py"))
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])

    assert report["errors"] == {}
    assert report["tasks"] == ["dbt_build", "validate_marts"]
    assert report["check_upstream"] == ["dbt_build"]
    assert report["check_outlets"] == ["vanquan_marts"]  # published only after the mart suite passed
    assert report["build_outlets"] == []


def test_a_load_builds_what_it_touched_and_a_new_warehouse_builds_everything() -> None:
    # data tests run on every load; unit tests check fixed inputs no load changes (CI runs them)
    assert build_args(marts_exist=True) == [
        "build",
        "--select",
        "source:raw+",
        "source:audit+",
        "--exclude-resource-type",
        "unit_test",
    ]
    assert build_args(marts_exist=False) == ["build"]  # unit tests gate the very first marts


def test_the_task_log_names_every_node_failures_first() -> None:
    results = {
        "elapsed_time": 3.25,
        "results": [
            {"unique_id": "model.vanquan.int_figure_versions", "status": "success", "execution_time": 1.5},
            {
                "unique_id": "test.vanquan.not_null_x",
                "status": "fail",
                "execution_time": 0.25,
                "message": "Got 2 results",
            },
            {"unique_id": "model.vanquan.fct_target_attainment", "status": "success", "execution_time": 1.0},
        ],
    }
    assert result_lines(results) == [
        "fail       0.25s test.vanquan.not_null_x (Got 2 results)",
        "success    1.00s model.vanquan.fct_target_attainment",
        "success    1.50s model.vanquan.int_figure_versions",
        "3 nodes in 3.2s: 1 fail, 2 success",
    ]
