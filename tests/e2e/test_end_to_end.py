"""The thin slice through every layer, with the real Airflow, dbt, GX and Superset.

Drop one office file per area, run the inbox and transform DAGs with ``airflow dags test``,
read the mart, then ask Superset's chart data API for the overview table and compare.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest

from core import settings
from runtime import airflow_service
from transform.dbt_runner import run_dbt

pytestmark = pytest.mark.e2e

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"
UNITS = [
    "Thị trấn Văn Quan",
    "An Sơn",
    "Bình Phúc",
    "Điềm He",
    "Đồng Giáp",
    "Hòa Bình",
    "Hữu Lễ",
    "Khánh Khê",
    "Liên Hội",
    "Lương Năng",
    "Tân Đoàn",
    "Trấn Ninh",
    "Tràng Các",
    "Tràng Phái",
    "Tri Lễ",
    "Tú Xuyên",
    "Yên Phúc",
]


def drop(office: str, name: str, lines: list[str]) -> Path:
    path = settings.paths().inbox / office / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    past = time.time() - 120
    os.utime(path, (past, past))
    return path


def reset_dbt_schemas() -> None:
    """Drop what dbt built before (its incremental models keep history of other tests)."""
    from warehouse import bootstrap

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("drop schema if exists staging, intermediate, marts cascade")
    conn.close()
    bootstrap.bootstrap()


@pytest.fixture(scope="module")
def pipeline_run(fresh_warehouse: Path) -> dict[str, subprocess.CompletedProcess]:
    """Three files (one target per area) through the real DAGs."""
    reset_dbt_schemas()
    run_dbt(["seed"])
    run_dbt(["parse"])
    airflow_service.setup()
    # KT05 (economy): budget revenue 1,500 million VND a month, January to June 2022.
    drop(
        "tckh",
        "thu-ngan-sach-6-thang.csv",
        [f'budget_revenue,Huyện,{m:02d}/2022,"1.500,0",chính thức,\n' for m in range(1, 7)],
    )
    # XH04 (society): 2,950 of 3,000 people insured in each of the 17 units in June 2022.
    drop(
        "bhxh",
        "bhyt-t6.csv",
        [
            line
            for unit in UNITS
            for line in (
                f"people_health_insured,{unit},2022-06,2950,chính thức,\n",
                f"population,{unit},2022-06,3000,chính thức,\n",
            )
        ],
    )
    # MT01 (environment): 10 ha in Q1 and 15 ha in Q2 of new forest in each unit.
    drop(
        "kiemlam",
        "trong-rung.csv",
        [f"new_forest_area,{unit},Quý {q}/2022,{ha},chính thức,\n" for unit in UNITS for q, ha in ((1, 10), (2, 15))],
    )
    inbox = airflow_service.dags_test("vanquan_inbox")
    transform = airflow_service.dags_test("vanquan_transform")
    return {"inbox": inbox, "transform": transform}


def mart_row(target_code: str) -> tuple:
    with psycopg2.connect(**settings.role_dsn("reader")) as conn, conn.cursor() as cur:
        cur.execute(
            "select actual_value, target_value, round(attainment_ratio, 4), status from marts.fct_target_attainment"
            " where plan_year = 2022 and target_code = %s and as_of_period = '2022-06'",
            (target_code,),
        )
        row = cur.fetchone()
    conn.close()
    return row


def test_the_dags_run_green(pipeline_run: dict[str, subprocess.CompletedProcess]) -> None:
    for name, result in pipeline_run.items():
        assert result.returncode == 0, f"{name} DAG failed:\n{(result.stdout + result.stderr)[-4000:]}"
    assert not any(settings.paths().inbox.rglob("*.csv")), "every dropped file left the inbox"


def test_one_target_per_area_reaches_the_mart(pipeline_run: dict[str, subprocess.CompletedProcess]) -> None:
    assert mart_row("KT05") == (Decimal("9000"), Decimal("19000"), Decimal("0.4737"), "cham_tien_do")
    actual, target, _ratio, status = mart_row("XH04")
    # a rate that meets its target mid-year is on pace, not reached: it can still fall (rule 6)
    assert (round(actual, 4), target, status) == (Decimal("98.3333"), Decimal("98"), "dung_tien_do")
    assert mart_row("MT01") == (Decimal("425"), Decimal("750"), Decimal("0.5667"), "dung_tien_do")


def test_the_loaded_rows_keep_their_lineage(pipeline_run: dict[str, subprocess.CompletedProcess]) -> None:
    with psycopg2.connect(**settings.role_dsn("transformer")) as conn, conn.cursor() as cur:
        cur.execute(
            "select f.original_name, count(*), min(r.source_row), max(r.source_row)"
            " from raw.submitted_figures as r join audit.ingest_files as f using (file_id)"
            " group by f.original_name order by 1"
        )
        rows = cur.fetchall()
    conn.close()
    assert rows == [("bhyt-t6.csv", 34, 2, 35), ("thu-ngan-sach-6-thang.csv", 6, 2, 7), ("trong-rung.csv", 34, 2, 35)]


def test_make_ingest_gives_the_same_outcome_as_the_dag(pipeline_run: dict[str, subprocess.CompletedProcess]) -> None:
    bad = ["tourist_visits,Huyện,Tháng 13/2022,120,chính thức,\n", "tourist_visits,Xã Không Có,2022-05,80,ước,\n"]
    by_dag = drop("vhtt", "khach-loi.csv", bad)
    by_hand = settings.paths().home / "khach-loi-ban-tay.csv"
    by_hand.write_bytes(by_dag.read_bytes())
    assert airflow_service.dags_test("vanquan_inbox").returncode == 0
    cli = subprocess.run(
        [sys.executable, "-m", "ingest", "file", str(by_hand), "--office", "vhtt"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(settings.REPO_ROOT)},
        check=False,
    )
    assert cli.returncode == 1, cli.stderr  # a refusal is not a load: scripts can tell
    assert cli.stdout.split()[0] == "quarantined"
    assert "error: file quarantined" in cli.stderr
    with psycopg2.connect(**settings.role_dsn("loader")) as conn, conn.cursor() as cur:
        cur.execute(
            "select f.original_name, f.status, array_agg(p.rule order by p.rule)"
            " from audit.ingest_files as f join audit.ingest_problems as p using (file_id)"
            " where f.original_name like 'khach-loi%%' group by f.file_id order by f.file_id"
        )
        outcomes = cur.fetchall()
    conn.close()
    assert len(outcomes) == 2
    (_, dag_status, dag_rules), (_, cli_status, cli_rules) = outcomes
    assert dag_status == cli_status == "quarantined"
    assert dag_rules == cli_rules


OVERVIEW_TABLE = "Bảng tổng hợp 27 chỉ tiêu"


@pytest.fixture(scope="module")
def superset_url(pipeline_run: dict[str, subprocess.CompletedProcess]):
    """A real Superset with the dashboards imported, on a free port."""
    from runtime import superset_service
    from tests.conftest import free_port

    os.environ["SUPERSET_PORT"] = str(free_port())
    superset_service.setup()
    superset_service.import_assets()
    superset_service.start()
    yield superset_service.url()
    superset_service.stop()
    os.environ.pop("SUPERSET_PORT", None)


def _number(value) -> float:
    """A comparable number; no data (None) becomes -1, which no real figure here is."""
    return -1.0 if value is None else round(float(value), 4)


def test_the_overview_chart_shows_the_mart(superset_url: str) -> None:
    from runtime.superset_api import SupersetClient

    client = SupersetClient.login("admin", "admin", url=superset_url)
    chart = next(c for c in client.charts() if c["slice_name"] == OVERVIEW_TABLE)
    data = client.chart_data(chart["id"], force=True)["result"][0]["data"]
    shown = sorted((r["target_code"], _number(r["actual_value"]), r["status_vi"]) for r in data)
    with psycopg2.connect(**settings.role_dsn("reader")) as conn, conn.cursor() as cur:
        cur.execute(
            "select target_code, actual_value, status_vi from marts.fct_target_attainment where plan_year = 2022"
        )
        expected = sorted((code, _number(value), status) for code, value, status in cur.fetchall())
    conn.close()
    assert shown == expected, "the chart must show exactly the mart's rows"
    assert ("KT05", 9000.0, "Chậm tiến độ") in shown


def test_the_dashboards_dag_refreshes_every_chart(superset_url: str) -> None:
    """The last link of the chain: the marts Asset's DAG recomputes Superset's chart data."""
    from vq_superset.client import SupersetClient

    result = airflow_service.dags_test("vanquan_dashboards")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    admin = SupersetClient.login(
        settings.superset_service_user(), settings.secret("SUPERSET_ADMIN_PASSWORD", "admin"), superset_url
    )
    charts = admin.charts()
    assert len(charts) == len(list((settings.REPO_ROOT / "superset" / "assets" / "charts").glob("*.yaml")))
    # What a leader opening a dashboard now meets: every chart's data already in Superset's cache.
    cold = [c["slice_name"] for c in charts if not all(r["is_cached"] for r in admin.chart_data(c["id"])["result"])]
    assert cold == []
