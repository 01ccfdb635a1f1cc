"""The inbox on Airflow's CeleryExecutor with real parts: Redis, the api-server, the scheduler,
the DAG processor and two ``airflow celery worker`` processes (worker-a and worker-b).

A review deadline drops every office's files at once: the mapped inbox tasks run on both
workers and each file is loaded exactly once. Then one worker is killed with SIGKILL while it
is inside a file's load transaction: the task is retried on the other worker and nothing is
lost or counted twice (``ingest.reconcile`` clean).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest

from core import settings
from ingest import pipeline
from ingest.reconcile import reconcile
from runtime.celery_cluster import LocalCluster, redis_server_binary

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.usefixtures("fresh_warehouse"),
    pytest.mark.skipif(redis_server_binary() is None, reason="redis-server missing: make system-deps installs it"),
]

WORKERS = ("worker-a", "worker-b")
LOADED = ("loaded", "loaded_with_warnings")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every office's synthetic submissions up to February 2022 (baselines and two months)."""
    from sampledata.generate import generate

    out = tmp_path_factory.mktemp("samples")
    generate(out, 42, "2022-02")
    return out


@pytest.fixture(scope="module")
def cluster(fresh_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    cluster = LocalCluster(
        tmp_path_factory.mktemp("celery"),
        dags=["inbox"],
        heartbeat_timeout=60,
        extra_env={"INBOX_SETTLE_SECONDS": "1"},
    )
    cluster.start(WORKERS)
    yield cluster
    cluster.stop()


def drop_all(files: list[Path], root: Path) -> list[tuple[str, Path]]:
    """Move files into their office's inbox at once (each appears whole: written under an
    ignored name, then renamed), keeping the offices' modification times."""
    inbox = settings.paths().inbox
    dropped = []
    for source in files:
        office = source.relative_to(root).parts[0]
        target = inbox / office / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copy2(source, partial)
        os.replace(partial, target)
        dropped.append((office, target))
    return dropped


def audit_rows(names: list[str]) -> dict[str, list[tuple]]:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select f.original_name, f.status, f.sha256, f.rows_loaded,"
                " (select count(*) from raw.submitted_figures r where r.file_id = f.file_id)"
                " from audit.ingest_files f where f.original_name = any(%s) order by f.file_id",
                (names,),
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    out: dict[str, list[tuple]] = {name: [] for name in names}
    for name, *rest in rows:
        out[name].append(tuple(rest))
    return out


def wait_until_processed(dropped: list[tuple[str, Path]], timeout: float) -> dict[str, list[tuple]]:
    names = [path.name for _, path in dropped]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = audit_rows(names)
        if all(rows[n] for n in names) and not any(path.exists() for _, path in dropped):
            return rows
        time.sleep(3)
    rows = audit_rows(names)
    missing = [n for n in names if not rows[n]]
    raise AssertionError(f"not processed after {timeout:.0f}s: {missing}")


def airflow_db():
    return psycopg2.connect(settings.role_url("airflow", "airflow"))


def ingest_task_hosts(file_names: list[str]) -> dict[str, list[tuple[str, int, str]]]:
    """For each file: the (hostname, try, state) of every try of the mapped task that loaded it,
    earlier tries from ``task_instance_history``, the file named by the task's return value."""
    conn = airflow_db()
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select run_id, map_index, value from xcom where dag_id = 'vanquan_inbox'"
                " and task_id = 'ingest_one' and key = 'return_value'"
            )
            by_task = {}
            for run_id, map_index, value in cur.fetchall():
                value = value if isinstance(value, dict) else json.loads(value)
                by_task[(run_id, map_index)] = Path(value["path"]).name
            cur.execute(
                "select run_id, map_index, hostname, try_number, state from task_instance"
                " where dag_id = 'vanquan_inbox' and task_id = 'ingest_one'"
                " union all select run_id, map_index, hostname, try_number, state from task_instance_history"
                " where dag_id = 'vanquan_inbox' and task_id = 'ingest_one' order by 4"
            )
            tries = cur.fetchall()
    finally:
        conn.close()
    out: dict[str, list[tuple[str, int, str]]] = {name: [] for name in file_names}
    for run_id, map_index, hostname, try_number, state in tries:
        name = by_task.get((run_id, map_index))
        if name in out:
            out[name].append((hostname, try_number, state))
    return out


def assert_each_loaded_once(rows: dict[str, list[tuple]]) -> None:
    for name, found in rows.items():
        assert len(found) == 1, f"{name}: {found}"
        status, _sha, rows_loaded, rows_in_raw = found[0]
        assert status in LOADED, f"{name}: {status}"
        assert rows_loaded > 0 and rows_in_raw == rows_loaded, f"{name}: {found[0]}"


def test_a_review_deadline_burst_runs_on_both_workers_and_loads_each_file_once(
    cluster: LocalCluster, samples: Path
) -> None:
    files = sorted(p for p in samples.rglob("*") if p.is_file() and p.name != "manifest.json")
    files = [p for p in files if "_2022-02_" not in p.name]  # February is kept for the next test
    offices = {p.relative_to(samples).parts[0] for p in files}
    assert len(offices) >= 10, "every office sends at once"

    dropped = drop_all(files, samples)
    rows = wait_until_processed(dropped, timeout=900)

    assert_each_loaded_once(rows)
    hosts = ingest_task_hosts([p.name for _, p in dropped])
    successful = {h for tries in hosts.values() for h, _try, state in tries if state == "success"}
    assert successful == set(WORKERS), f"the mapped tasks ran on {successful}"
    report = reconcile()
    assert report.clean, report.lines()


def loader_inside_a_transaction(cluster: LocalCluster, shas: dict[str, str]) -> tuple[str, str] | None:
    """(worker, file) when a worker's process holds a file's load lock (its transaction is open)."""
    import psutil

    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select s.name, a.client_port from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                " join unnest(%s::text[], %s::text[]) as s(name, sha)"
                " on ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(s.sha, 0)"
                " where l.locktype = 'advisory' and l.granted and l.objsubid = 1",
                (list(shas), list(shas.values())),
            )
            held = cur.fetchall()
    finally:
        conn.close()
    for name, client_port in held:
        for worker in WORKERS:
            if worker not in cluster.processes:
                continue
            for pid in cluster.worker_pids(worker):
                try:
                    connections = psutil.Process(pid).net_connections(kind="tcp")
                except psutil.Error:
                    continue
                if any(c.laddr and c.laddr.port == client_port for c in connections):
                    return worker, name
    return None


def test_a_worker_killed_mid_load_is_retried_on_the_other_and_nothing_is_lost_or_doubled(
    cluster: LocalCluster, samples: Path
) -> None:
    files = sorted(p for p in samples.rglob("*_2022-02_*") if p.is_file())
    assert files
    shas = {p.name: pipeline.sha256_of(p) for p in files}
    dropped = drop_all(files, samples)

    caught = None
    deadline = time.monotonic() + 600
    while caught is None and time.monotonic() < deadline:
        caught = loader_inside_a_transaction(cluster, shas)
        if caught is None:
            time.sleep(0.1)
    assert caught is not None, "no load was seen in progress"
    victim, name = caught
    killed = cluster.kill_worker(victim)
    assert killed, "the worker's processes were killed"
    survivor = next(w for w in WORKERS if w != victim)

    rows = wait_until_processed(dropped, timeout=900)

    assert_each_loaded_once(rows)
    tries = ingest_task_hosts([name])[name]
    assert (victim, 1) in {(h, t) for h, t, _state in tries}, f"{name}: {tries}"
    final = max(tries, key=lambda t: t[1])
    assert final[0] == survivor and final[2] == "success" and final[1] >= 2, f"{name}: {tries}"
    assert [n.split("@")[0] for n in cluster.live_workers()] == [survivor]
    report = reconcile()
    assert report.clean, report.lines()
