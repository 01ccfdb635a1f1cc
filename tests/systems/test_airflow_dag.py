"""A pull through the real Airflow task: ``airflow dags test`` on the generated DAG."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_the_systems_dag_pulls_and_publishes_the_raw_asset(standin, admin_conn) -> None:
    from runtime import airflow_service

    with admin_conn.cursor() as cur:  # start from scratch whatever other tests pulled
        cur.execute("delete from raw.source_watermarks where source_name = 'tourism'")
        cur.execute("delete from raw.submitted_figures where source_name = 'tourism'")  # else recognised as loaded
        cur.execute("select coalesce(max(file_id), 0) from audit.ingest_files")
        before = cur.fetchone()[0]

    airflow_service.setup()
    run = airflow_service.dags_test("vanquan_systems_tourism", "2022-12-05")

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    with admin_conn.cursor() as cur:
        cur.execute(
            "select source_kind, source_name, office_code, status, rows_loaded from audit.ingest_files"
            " where file_id > %s and source_name = 'tourism'",
            (before,),
        )
        assert cur.fetchall() == [("http_json", "tourism", "vhtt", "loaded", 24)]
        cur.execute(
            "select sum(value) from raw.submitted_figures f join audit.ingest_files a using (file_id)"
            " where a.file_id > %s and f.period_code like '2022-%%'",
            (before,),
        )
        assert cur.fetchone()[0] == 6850
    with admin_conn.cursor() as cur:  # the Asset event the transform DAG is scheduled on
        cur.execute("select 1 from pg_database where datname = 'airflow'")
        assert cur.fetchone() == (1,)
    import psycopg2

    from core import settings

    meta = psycopg2.connect(settings.admin_url("airflow"))
    try:
        with meta.cursor() as cur:
            cur.execute(
                "select count(*) from asset_event e join asset a on a.id = e.asset_id"
                " where a.name = 'vanquan_raw_figures' and e.source_dag_id = 'vanquan_systems_tourism'"
            )
            assert cur.fetchone()[0] == 1
    finally:
        meta.close()
