"""Files per minute through the inbox on the CeleryExecutor, 1 worker then 2, in one run.

``python -m bench.scaleout [--until 2022-02] [--concurrency 1]`` (a section of its own: it is
not part of ``make bench``). One fresh state folder and one local Celery deployment
(``runtime.celery_cluster``: Redis, api-server, scheduler, DAG processor): every office's
synthetic files up to ``--until``, dealt alternately into two bursts of the same mix; the
first burst with one worker, the second once a second worker has joined. For each: the wall time from the drop to the
last file recorded, and the span from the first file task's start to the last one's end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

import psycopg2

from bench import env
from core import settings

log = logging.getLogger("bench.scaleout")


def bursts(folder: Path, until: str) -> tuple[list[Path], list[Path]]:
    """Every office's synthetic submissions up to ``until``, dealt alternately into two bursts
    of the same mix: every file distinct (the same bytes again would only be a duplicate)."""
    from sampledata.generate import generate

    generate(folder, 42, until)
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"]
    # Period first, then office: each burst gets half the offices' baselines and half their months.
    files.sort(key=lambda p: (p.name.split("_")[1], p.parent.name))
    return files[0::2], files[1::2]


def drop(files: list[Path], root: Path) -> list[Path]:
    inbox = settings.paths().inbox
    dropped = []
    for source in files:
        target = inbox / source.relative_to(root).parts[0] / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        shutil.copy2(source, partial)
        os.replace(partial, target)
        dropped.append(target)
    return dropped


def _audited(since_id: int) -> int:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from audit.ingest_files where file_id > %s", (since_id,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def _last_file_id() -> int:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute("select coalesce(max(file_id), 0) from audit.ingest_files")
            return cur.fetchone()[0]
    finally:
        conn.close()


def _mean_task_s(started_at: datetime) -> float:
    conn = psycopg2.connect(settings.role_url("airflow", "airflow"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select avg(extract(epoch from end_date - start_date)) from task_instance"
                " where task_id = 'ingest_one' and state = 'success' and start_date >= %s",
                (started_at,),
            )
            return float(cur.fetchone()[0] or 0)
    finally:
        conn.close()


def _task_span(started_at: datetime) -> tuple[float, dict[str, int]]:
    """Seconds from the first file task's start to the last one's end, and tasks per host."""
    conn = psycopg2.connect(settings.role_url("airflow", "airflow"))
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select min(start_date), max(end_date) from task_instance where task_id = 'ingest_one'"
                " and state = 'success' and start_date >= %s",
                (started_at,),
            )
            first, last = cur.fetchone()
            cur.execute(
                "select hostname, count(*) from task_instance where task_id = 'ingest_one'"
                " and state = 'success' and start_date >= %s group by hostname",
                (started_at,),
            )
            hosts = dict(cur.fetchall())
    finally:
        conn.close()
    return (last - first).total_seconds(), hosts


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (the scheduler's share of the box)."""
    import psutil

    total = 0.0
    try:
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
    except psutil.Error:
        pass
    return total


def _task_instances(started_at: datetime) -> int:
    conn = psycopg2.connect(settings.role_url("airflow", "airflow"))
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from task_instance where start_date >= %s", (started_at,))
            return cur.fetchone()[0]
    finally:
        conn.close()


def measure_burst(files: list[Path], root: Path, scheduler_pid: int, timeout: float = 3600) -> dict[str, object]:
    since = _last_file_id()
    started_at = datetime.now().astimezone()
    started = time.monotonic()
    scheduler_cpu = _cpu_seconds(scheduler_pid)
    load_before = os.getloadavg()[0]
    dropped = drop(files, root)
    # A file leaves the inbox only once its outcome is committed (loaded, quarantined, duplicate).
    while any(p.exists() for p in dropped):
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{sum(p.exists() for p in dropped)} of {len(dropped)} files left after {timeout:.0f}s")
        time.sleep(1)
    wall = time.monotonic() - started
    scheduler_cpu = _cpu_seconds(scheduler_pid) - scheduler_cpu
    span, hosts = _task_span(started_at)
    task_instances = _task_instances(started_at)
    return {
        "files": len(dropped),
        "audit_rows": _audited(since),
        "drop_to_done_s": round(wall, 1),
        "files_per_min_drop_to_done": round(len(dropped) / wall * 60, 1),
        "task_span_s": round(span, 1),
        "files_per_min_task_span": round(len(dropped) / span * 60, 1) if span else None,
        "tasks_per_host": hosts,
        "task_instances": task_instances,
        "scheduler_cpu_s": round(scheduler_cpu, 1),
        "scheduler_cpu_share_of_a_core": round(scheduler_cpu / wall, 3),
        "mean_file_task_s": round(_mean_task_s(started_at), 1),
        "load_average_1m_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def run(until: str = "2022-04", concurrency: int = 1) -> dict[str, object]:
    from runtime.celery_cluster import LocalCluster

    with env.fresh_warehouse() as home:
        data: dict[str, object] = {"machine": env.machine(env.server_version()), "worker_concurrency": concurrency}
        one, two = bursts(home / "samples", until)
        cluster = LocalCluster(
            home / "celery", dags=["inbox"], worker_concurrency=concurrency, extra_env={"INBOX_SETTLE_SECONDS": "1"}
        )
        started = time.monotonic()
        cluster.start(["worker-a"])
        data["start_up_s"] = round(time.monotonic() - started, 1)
        try:
            time.sleep(40)  # the first scheduled runs (nothing to do) out of the way
            log.info("1 worker: %d files", len(one))
            scheduler = cluster.processes["scheduler"].popen.pid
            data["one_worker"] = measure_burst(one, home / "samples", scheduler)
            cluster.start_worker("worker-b")
            log.info("2 workers: %d files", len(two))
            data["two_workers"] = measure_burst(two, home / "samples", scheduler)
        finally:
            cluster.stop()
    data["finished_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    return data


def markdown(data: dict[str, object]) -> str:
    rows = [
        "| workers | files | drop → all recorded | files/min | first task start → last end | files/min"
        " | tasks per worker | scheduler CPU | one file task | load before, after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, key in (("1", "one_worker"), ("2", "two_workers")):
        row = data[key]
        hosts = ", ".join(f"{h} {n}" for h, n in sorted(row["tasks_per_host"].items()))
        rows.append(
            f"| {label} | {row['files']} | {row['drop_to_done_s']} s | **{row['files_per_min_drop_to_done']}** |"
            f" {row['task_span_s']} s | {row['files_per_min_task_span']} | {hosts} |"
            f" {row['scheduler_cpu_share_of_a_core']:.0%} of a core for {row['task_instances']} task instances |"
            f" {row['mean_file_task_s']} s | {row['load_average_1m_before_after']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__)
    parser.add_argument("--until", default="2022-04", help="the bursts hold every office's files up to this month")
    parser.add_argument("--concurrency", type=int, default=1, help="tasks at once per worker")
    parser.add_argument("--out", type=Path, help="results folder (default: $PLATFORM_HOME/bench)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[bench %(asctime)s] %(message)s", datefmt="%H:%M:%S")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    out = args.out or settings.paths().home / "bench"
    data = run(args.until, args.concurrency)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scaleout.json").write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    print(json.dumps(data, indent=1, default=str))
    print(markdown(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
