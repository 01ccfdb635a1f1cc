"""`make demo`: the whole platform on this machine, from sample files to dashboards.

Every step is idempotent: a second run starts what is not running, drops no file twice
(the sample files are dropped once per state folder), and so changes no figure.
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import UTC, datetime

import psycopg2

from core import settings
from ingest import inbox
from runtime import airflow_service, services, superset_service
from runtime.airflow_api import AirflowClient
from runtime.attainment import table
from runtime.env import base_env, standins_port
from transform.dbt_runner import run_dbt
from warehouse import bootstrap, server

SAMPLE_SEED = 42
TRANSFORM_DAG = "vanquan_transform"


def say(text: str) -> None:
    print(f"[demo {datetime.now():%H:%M:%S}] {text}", flush=True)


def start_warehouse() -> None:
    server.start_default()
    bootstrap.bootstrap()
    run_dbt(["seed"])
    run_dbt(["parse"])  # the manifest the transform DAG is rendered from


def start_standins() -> None:
    """The demo's stand-ins of the offices' own systems, pulled by the systems DAGs."""
    from standins import treasury

    treasury.setup()
    port = standins_port()
    services.start(
        "standins",
        [sys.executable, "-m", "standins", "serve", "--port", str(port)],
        base_env(),
        f"http://127.0.0.1:{port}/health",
    )


def drop_sample_files() -> int:
    """Generate the sample submissions once and drop them into the inboxes."""
    from sampledata.__main__ import main as generate

    paths = settings.paths()
    marker = paths.home / "demo" / f"samples-{SAMPLE_SEED}.dropped"
    if marker.exists():
        return 0
    staging = paths.home / "demo" / "samples"
    shutil.rmtree(staging, ignore_errors=True)
    generate(["--out", str(staging), "--seed", str(SAMPLE_SEED)])
    count = 0
    for source in sorted(staging.rglob("*")):
        if not source.is_file() or source.suffix == ".json":
            continue
        target = paths.inbox / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)  # keeps the simulated submission time as mtime
        count += 1
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(datetime.now(UTC).isoformat())
    return count


def _last_load_finished() -> datetime | None:
    with psycopg2.connect(**settings.role_dsn("loader")) as conn, conn.cursor() as cur:
        cur.execute(
            "select max(finished_at) from audit.ingest_files where status in ('loaded', 'loaded_with_warnings')"
        )
        value = cur.fetchone()[0]
    conn.close()
    return value


def _pending_files() -> int:
    root = settings.paths().inbox
    return sum(1 for p in root.rglob("*") if p.is_file() and not inbox.is_ignored(p.name)) if root.exists() else 0


def wait_for_pipeline(timeout: float = 3600) -> None:
    """Wait until the inboxes are empty and a transform run has finished after the last load."""
    logins = airflow_service.demo_logins()
    client = AirflowClient.login("admin", logins["admin"])
    deadline = time.monotonic() + timeout
    last_report = ""
    while time.monotonic() < deadline:
        pending = _pending_files()
        last_load = _last_load_finished()
        runs = client.dag_runs(TRANSFORM_DAG, limit=5)
        done = [r for r in runs if r["state"] == "success" and r.get("end_date")]
        failed = [r for r in runs if r["state"] == "failed"]
        # A run counts only if it started after the last load: it then read every figure.
        newest_done = max((datetime.fromisoformat(r["start_date"]) for r in done), default=None)
        report = f"files waiting: {pending}; transform runs: {[r['state'] for r in runs]}"
        if report != last_report:
            say(report)
            last_report = report
        if failed and (not done or datetime.fromisoformat(failed[0]["run_after"]) > newest_done):
            raise RuntimeError(f"the transform DAG failed: see the Airflow UI, run {failed[0]['dag_run_id']}")
        running = [r for r in runs if r["state"] in ("queued", "running")]
        if pending == 0 and not running and newest_done and (last_load is None or newest_done > last_load):
            return
        time.sleep(5)
    raise TimeoutError("the pipeline did not finish in time")


class NotADemo(RuntimeError):
    """`make demo` asked of a machine pointed at a real warehouse, or outside demo mode."""


def check_demo_mode() -> None:
    """The demo runs only when asked for: demo passwords exist only in demo mode."""
    if not settings.is_demo():
        raise NotADemo("make demo needs PLATFORM_MODE=demo (set explicitly); nothing was started")


def main() -> None:
    check_demo_mode()
    say(f"state folder: {settings.platform_home()} (PLATFORM_MODE={settings.platform_mode()})")
    say("warehouse: starting PostgreSQL, roles and schemas, catalog seeds")
    start_warehouse()
    say("stand-in office systems (BHXH, tourism API; treasury database)")
    start_standins()
    say("airflow: metadata database and services")
    airflow_service.setup()
    airflow_service.start()
    dropped = drop_sample_files()
    say(f"sample office files dropped into {settings.paths().inbox}: {dropped}")
    say("waiting for the DAGs: inbox -> validate -> load -> dbt build -> mart checks")
    wait_for_pipeline()
    say("superset: starting and importing the dashboards")
    superset_service.setup()
    superset_service.start()
    superset_service.import_assets()
    print()
    print(table())
    print()
    logins = airflow_service.demo_logins()
    print(f"Airflow : http://127.0.0.1:{airflow_service.airflow_port()}  (admin / {logins.get('admin', '?')})")
    print(f"Superset: {superset_service.url()}  ({superset_service.demo_login()})")
    print("Stop everything with: make stop")


def stop() -> None:
    superset_service.stop()
    services.stop("standins")
    airflow_service.stop()
    server.stop_default()


if __name__ == "__main__":
    main()
