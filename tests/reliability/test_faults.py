"""Faults survived: a database that stops, a worker that dies, two runs at once.

Each test ends with a clean reconciliation: every file accounted for, no row lost or doubled.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg2
import pytest

from core import settings
from ingest import load, pipeline
from ingest.reconcile import reconcile
from warehouse import server

# Reconciliation must see only what this module did: other modules fabricate audit rows.
pytestmark = pytest.mark.usefixtures("fresh_warehouse")

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"


def drop(office: str, name: str, body: str) -> Path:
    path = settings.paths().inbox / office / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def loaded_rows(admin_conn, sha256: str) -> int:
    with admin_conn.cursor() as cur:
        cur.execute("select count(*) from raw.submitted_figures where source_sha256 = %s", (sha256,))
        return cur.fetchone()[0]


def assert_reconciled() -> None:
    report = reconcile()
    assert report.clean, report.lines()


def test_database_stopping_mid_load_loses_nothing_and_loads_once_back(
    platform_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drop("congan", "pham-phap-t3.csv", "criminal_offences,Huyện,2022-03,4,chính thức,\n")
    sha = pipeline.sha256_of(path)
    real_copy = load.copy_figures

    def copy_then_crash(cur, *args, **kwargs):
        count = real_copy(cur, *args, **kwargs)
        server.stop(settings.paths().pgdata, mode="immediate")  # the server dies before the commit
        return count

    monkeypatch.setattr(load, "copy_figures", copy_then_crash)
    with pytest.raises(psycopg2.Error):
        pipeline.ingest_file(path, "congan")
    monkeypatch.undo()

    assert path.exists(), "the file must stay in the inbox"
    server.start_default()
    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    try:
        assert loaded_rows(conn, sha) == 0, "nothing partial may be visible"
        outcome = pipeline.ingest_file(path, "congan")
        assert outcome.status == "loaded"
        assert loaded_rows(conn, sha) == 1
    finally:
        conn.close()
    assert not path.exists()
    assert_reconciled()


KILL_SCRIPT = """
import os, signal, sys
from pathlib import Path
from ingest import load, pipeline
point = sys.argv[3]
if point == "before_commit":
    real = load.copy_figures
    def dying(cur, *a, **k):
        real(cur, *a, **k)
        os.kill(os.getpid(), signal.SIGKILL)
    load.copy_figures = dying
else:
    pipeline.remove_from_inbox = lambda path: os.kill(os.getpid(), signal.SIGKILL)
pipeline.ingest_file(Path(sys.argv[1]), sys.argv[2])
"""


@pytest.mark.parametrize("point", ["before_commit", "after_commit"])
def test_a_worker_killed_mid_file_is_finished_exactly_once(platform_home: Path, admin_conn, point: str) -> None:
    path = drop(
        "kiemlam",
        f"rung-{point}.csv",
        f"forest_cover_rate,Huyện,2022-Q{1 if point == 'before_commit' else 2},60.5,chính thức,\n",
    )
    sha = pipeline.sha256_of(path)
    env = {**os.environ, "PYTHONPATH": str(settings.REPO_ROOT)}
    result = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(path), "kiemlam", point], env=env, check=False)
    assert result.returncode == -9
    assert path.exists()
    assert loaded_rows(admin_conn, sha) == (0 if point == "before_commit" else 1)

    retry = pipeline.ingest_file(path, "kiemlam")

    assert retry.status == "loaded"
    assert loaded_rows(admin_conn, sha) == 1
    assert not path.exists()
    with admin_conn.cursor() as cur:
        cur.execute("select count(*) from audit.ingest_files where sha256 = %s", (sha,))
        assert cur.fetchone()[0] == 1
    assert_reconciled()


CONCURRENT_SCRIPT = textwrap.dedent(
    """
    from ingest import pipeline
    pipeline.process_inbox(["tnmt"])
    """
)


def test_two_runs_at_once_over_the_same_files_load_each_once(platform_home: Path, admin_conn) -> None:
    bodies = [f"solid_waste_collected,Huyện,2022-{m:02d},{100 + m},chính thức,\n" for m in range(1, 7)]
    paths = [drop("tnmt", f"rac-{i}.csv", body) for i, body in enumerate(bodies)]
    twin = drop("tnmt", "rac-0-ban-sao.csv", bodies[0])  # the same bytes dropped twice
    shas = {pipeline.sha256_of(p) for p in paths}
    env = {**os.environ, "PYTHONPATH": str(settings.REPO_ROOT)}
    runs = [subprocess.Popen([sys.executable, "-c", CONCURRENT_SCRIPT], env=env) for _ in range(2)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]

    assert not any(p.exists() for p in [*paths, twin])
    for sha in shas:
        assert loaded_rows(admin_conn, sha) == 1
    with admin_conn.cursor() as cur:
        cur.execute("select status, count(*) from audit.ingest_files where source_name = 'inbox/tnmt' group by status")
        statuses = dict(cur.fetchall())
    assert statuses.get("loaded", 0) == 6
    assert statuses.get("duplicate", 0) == 1
    assert_reconciled()
