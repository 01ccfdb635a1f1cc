"""Airflow's CeleryExecutor on one machine, with the real parts: Redis, the api-server, the
scheduler, the DAG processor, the triggerer and any number of ``airflow celery worker`` processes.

What docker-compose's ``celery`` profile runs on several hosts, started here as plain
processes so that the scale-out tests and the benchmark can watch and kill them: each worker
has its own Celery hostname and records its own name as the task instances' ``hostname``
(``[core] hostname_callable``), the broker is Debian's ``redis-server`` on a free port in a
private folder, the Celery results go to the Airflow metadata database (PostgreSQL).

    cluster = LocalCluster(folder, dags=["inbox"])
    cluster.start(workers=["worker-a", "worker-b"])
    ...
    cluster.kill_worker("worker-a")   # SIGKILL to the worker and every process under it
    cluster.stop()
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core import settings
from runtime.env import VENV_BIN, airflow_env

WORKER_NAME_VARIABLE = settings.WORKER_NAME_VARIABLE


def worker_hostname() -> str:
    """``[core] hostname_callable`` of the local cluster's processes: the worker's own name.

    Several workers on one machine would otherwise all record the machine's name as the task
    instances' ``hostname``; on separate hosts (docker compose) the default is right.
    """
    return settings.worker_name() or socket.getfqdn()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str | None:
    return shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)


def _wait(predicate, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what}: exited with code {process.returncode}\n{tail}")
        try:
            value = predicate()
        except Exception:  # not up yet
            value = None
        if value:
            return value
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{what}: not ready after {timeout:.0f}s\n{tail}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path


def _tree(pid: int) -> list[int]:
    """``pid`` and every process under it (the task supervisors and runners run in their own
    process groups, so a process group is not enough)."""
    import psutil

    try:
        root = psutil.Process(pid)
        return [pid, *(child.pid for child in root.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def kill_tree(pid: int) -> list[int]:
    """SIGKILL a process and all its descendants at once, as if its host lost power.

    The tree is frozen first (SIGSTOP until no new child appears), so that nothing forks or
    commits between the snapshot and the kill. Returns the pids killed.
    """
    stopped: set[int] = set()
    for _ in range(20):
        pids = set(_tree(pid)) - stopped
        if not pids:
            break
        for each in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(each, signal.SIGSTOP)
        stopped |= pids
    for each in stopped:
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, signal.SIGKILL)
    return sorted(stopped)


@dataclass
class LocalCluster:
    """The Celery deployment of the platform on this machine, under ``folder``.

    ``dags`` restricts the DAG folder to some DAG files (their ``common`` package included),
    so that a test or a benchmark schedules only what it measures.
    """

    folder: Path
    dags: Iterable[str] | None = None
    worker_concurrency: int = 1
    heartbeat_timeout: int = 30
    extra_env: dict[str, str] = field(default_factory=dict)
    redis_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    health_port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)

    # --- environment -----------------------------------------------------------------
    @property
    def broker_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def dags_folder(self) -> Path:
        source = settings.REPO_ROOT / "dags"
        if self.dags is None:
            return source
        folder = self.folder / "dags"
        folder.mkdir(parents=True, exist_ok=True)
        for name in [*(f"{d}.py" for d in self.dags), "common"]:
            link = folder / name
            if not link.exists():
                link.symlink_to(source / name)
        return folder

    def env(self, worker: str | None = None) -> dict[str, str]:
        """Exactly what a host of the deployment needs: the metadata database, the broker,
        the result backend, the execution API, the shared secrets and the state folder."""
        previous = settings.environment().get("AIRFLOW_PORT")
        os.environ["AIRFLOW_PORT"] = str(self.api_port)  # airflow_env() derives the API URLs from it
        try:
            env = airflow_env()
        finally:
            if previous is None:
                os.environ.pop("AIRFLOW_PORT", None)
            else:
                os.environ["AIRFLOW_PORT"] = previous
        env.update(
            {
                "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
                "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder()),
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": "runtime.celery_cluster.worker_hostname",
                "AIRFLOW__CELERY__BROKER_URL": self.broker_url,
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + settings.role_url("airflow", "airflow", "postgresql"),
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.worker_concurrency),
                "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",
                "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "runtime.celery_config.CELERY_CONFIG",
                # Two cores shared with other work: the execution API may answer slowly.
                "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "60",
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
                "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(self.health_port),
                # A worker that vanished is noticed by its task's missing heartbeat.
                "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": str(self.heartbeat_timeout),
                "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
                "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "180",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
                "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            }
        )
        if worker:
            env[WORKER_NAME_VARIABLE] = worker
        env.update(self.extra_env)
        return env

    # --- processes -------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> Process:
        logs = self.folder / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"{name}.log"
        with open(log, "ab") as out:
            popen = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        process = Process(name, popen, log)
        self.processes[name] = process
        return process

    def start_redis(self) -> Process:
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed (make system-deps installs Debian's redis-server)")
        data = self.folder / "redis"
        data.mkdir(parents=True, exist_ok=True)
        command = [binary, "--port", str(self.redis_port), "--bind", "127.0.0.1", "--dir", str(data)]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        process = self._spawn("redis", command, settings.environment())
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.redis_port, socket_timeout=2)
        _wait(client.ping, 30, "redis-server", process.popen, process.log)
        return process

    def setup_airflow(self) -> None:
        """The metadata database and the warehouse pool, as every start-up does."""
        from runtime import airflow_service

        env = self.env()
        subprocess.run([str(VENV_BIN / "airflow"), "db", "migrate"], env=env, check=True, capture_output=True)
        subprocess.run(
            [str(VENV_BIN / "airflow"), "pools", "set", "warehouse", str(airflow_service.WAREHOUSE_POOL_SLOTS),
             "Connections to the warehouse"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip

    def start_control_plane(self) -> None:
        """api-server (the execution API the workers' tasks report to), scheduler, DAG processor,
        triggerer (the inbox watcher that starts the inbox DAG when files are dropped)."""
        airflow = str(VENV_BIN / "airflow")
        api = self._spawn("api-server", [airflow, "api-server", "--port", str(self.api_port)], self.env())
        scheduler = self._spawn("scheduler", [airflow, "scheduler"], self.env())
        processor = self._spawn("dag-processor", [airflow, "dag-processor"], self.env())
        self._spawn("triggerer", [airflow, "triggerer"], self.env())
        import requests

        health = f"http://127.0.0.1:{self.api_port}/api/v2/monitor/health"
        _wait(lambda: requests.get(health, timeout=5).ok, 240, "api-server", api.popen, api.log)
        scheduler_health = f"http://127.0.0.1:{self.health_port}/health"
        _wait(lambda: requests.get(scheduler_health, timeout=5).ok, 240, "scheduler", scheduler.popen, scheduler.log)
        if processor.popen.poll() is not None:
            raise RuntimeError(f"dag-processor exited:\n{processor.log.read_text()[-3000:]}")

    def start_worker(self, name: str, queues: str = "default", wait: bool = True) -> Process:
        command = [str(VENV_BIN / "airflow"), "celery", "worker", "--celery-hostname", f"{name}@%h"]
        command += ["--queues", queues, "--concurrency", str(self.worker_concurrency)]
        command += ["--pid", str(self.folder / f"{name}.pid"), "--without-gossip"]
        process = self._spawn(name, command, self.env(worker=name))
        if wait:
            self.wait_workers([name])
        return process

    def celery_app(self):
        from celery import Celery

        return Celery(broker=self.broker_url)

    def live_workers(self) -> list[str]:
        """Celery names of the workers that answer a ping (``worker-a@host``)."""
        app = self.celery_app()
        try:
            replies = app.control.ping(timeout=2) or []
        finally:
            app.close()
        return sorted(name for reply in replies for name in reply)

    def wait_workers(self, names: Iterable[str], timeout: float = 240) -> None:
        wanted = set(names)

        def ready() -> bool:
            for name in wanted:
                process = self.processes[name]
                if process.popen.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{process.log.read_text()[-3000:]}")
            return wanted <= {n.split("@")[0] for n in self.live_workers()}

        _wait(ready, timeout, f"celery workers {sorted(wanted)}")

    def start(self, workers: Iterable[str] = ("worker-a", "worker-b")) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self.start_redis()
            self.setup_airflow()
            self.start_control_plane()
            names = list(workers)
            for name in names:
                self.start_worker(name, wait=False)
            self.wait_workers(names)
        except BaseException:
            self.stop()
            raise

    def airflow_cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(VENV_BIN / "airflow"), *args], env=self.env(), check=check, capture_output=True, text=True
        )

    def worker_pids(self, name: str) -> list[int]:
        return _tree(self.processes[name].popen.pid)

    def kill_worker(self, name: str) -> list[int]:
        """SIGKILL the worker, its pool and every task process under it (a host lost)."""
        process = self.processes.pop(name)
        killed = kill_tree(process.popen.pid)
        process.popen.wait(timeout=30)
        return killed

    def stop_worker(self, name: str, timeout: float = 60) -> None:
        """A warm shutdown: the worker finishes its task, then exits."""
        process = self.processes.pop(name)
        self._terminate(process, timeout)

    @staticmethod
    def _terminate(process: Process, timeout: float) -> None:
        pids = _tree(process.popen.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(timeout=timeout)
        for pid in pids:  # whatever did not follow (task processes in their own groups)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if process.popen.poll() is None:
            process.popen.wait(timeout=10)

    def stop(self) -> None:
        """Workers first, then the control plane, then the broker."""
        order = [n for n in self.processes if n not in ("api-server", "scheduler", "dag-processor", "redis")]
        order += [n for n in ("scheduler", "dag-processor", "api-server", "redis") if n in self.processes]
        for name in order:
            self._terminate(self.processes.pop(name), 30)
