"""A warm dbt: one long-lived process that has imported dbt forks a fresh child per command.

    python -m transform.warm_dbt    # serve on $PLATFORM_HOME/run/dbt.sock until stopped

Importing dbt-core and its Postgres adapter takes about 5 s of CPU on the 2-core machine,
and a cold ``dbt build`` pays it every time a file is loaded: a quarter of the wait between a
drop and the dashboards. This server pays it once. For each request it forks a child that
runs the command with the caller's arguments, folder and environment, so every command
still starts from a clean process (nothing carries over from one build to the next), and
sends back the exit code and the end of dbt's output.

``transform.dbt_runner.run_dbt`` asks it first and starts dbt itself when nobody answers,
so the server only ever makes a build start sooner. The socket is the owner's alone (0600).
The server is single-threaded: it accepts, forks a handler, and reaps finished handlers.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core import settings

log = logging.getLogger(__name__)

SOCKET_NAME = "dbt.sock"
OUTPUT_LIMIT = 64 * 1024  # bytes of dbt's output sent back: the end, where errors are
MAX_REQUEST = 4 * 1024 * 1024


@dataclass(frozen=True)
class Completed:
    """What a dbt command left: its exit code and the end of what it printed."""

    returncode: int
    output: str


def socket_path() -> Path:
    return settings.paths().home / "run" / SOCKET_NAME


def answers() -> bool:
    """Whether a warm dbt server is listening on this state folder's socket."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(socket_path()))
    except OSError:
        return False
    return True


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST:
            raise ValueError("request too large")
    return data


def run(args: list[str], env: dict[str, str], cwd: Path) -> Completed | None:
    """Run ``dbt <args>`` in the warm server; None when no server answers (start dbt yourself)."""
    path = socket_path()
    if not path.exists():
        return None
    request = json.dumps({"args": args, "env": env, "cwd": str(cwd)}).encode() + b"\n"
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(path))
            conn.sendall(request)
            reply = _read_line(conn)
    except OSError as error:  # no server behind the socket (stale file, stopped, too long a path)
        log.info("warm dbt server at %s did not answer (%s); starting dbt", path, error)
        return None
    if not reply:
        log.warning("warm dbt server at %s closed without an answer; starting dbt", path)
        return None
    answer = json.loads(reply)
    return Completed(int(answer["returncode"]), str(answer["output"]))


def _exit_code(result: object) -> int:
    """dbt's own exit codes: 0 success, 1 a model or test failed, 2 dbt could not run."""
    if getattr(result, "success", False):
        return 0
    return 1 if getattr(result, "exception", None) is None else 2


def _stop_when_caller_leaves(conn: socket.socket) -> None:
    """A caller that goes away (its task was killed) stops its build, as with a cold dbt."""
    with contextlib.suppress(OSError):
        conn.recv(1)
    os.kill(os.getpid(), signal.SIGTERM)


def _handle(conn: socket.socket) -> None:
    """In a forked child: run one command with its output in a file, answer, exit."""
    code, output = 2, ""
    try:
        line = _read_line(conn)
        if not line:  # a caller that only checked the server answers
            os._exit(0)
        request = json.loads(line)
        threading.Thread(target=_stop_when_caller_leaves, args=(conn,), daemon=True).start()
        os.chdir(request["cwd"])
        settings.replace_environment({str(k): str(v) for k, v in request["env"].items()})
        with tempfile.TemporaryFile() as captured:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(captured.fileno(), 1)
            os.dup2(captured.fileno(), 2)
            try:
                from dbt.cli.main import dbtRunner

                result = dbtRunner().invoke([str(a) for a in request["args"]])
                if getattr(result, "exception", None) is not None:  # the CLI would have printed it
                    print(f"Error: {result.exception}", file=sys.stderr)
                code = _exit_code(result)
            except BaseException as error:  # any failure, even SystemExit from click, is the caller's answer
                print(f"warm dbt: {type(error).__name__}: {error}", file=sys.stderr)
                code = 2
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            size = os.fstat(captured.fileno()).st_size
            captured.seek(max(0, size - OUTPUT_LIMIT))
            output = captured.read().decode("utf-8", errors="replace")
    except Exception as error:  # a bad request still gets an answer
        output = f"warm dbt: bad request: {error}"
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps({"returncode": code, "output": output}).encode() + b"\n")
    os._exit(0)


def _reap(*_: object) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def serve(path: Path | None = None) -> None:
    """Import dbt once, then answer requests on ``path`` until SIGTERM."""
    # the cost paid once, inherited by every fork
    import dbt.adapters.postgres
    import dbt.cli.main  # noqa: F401

    path = path or socket_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o177)
    try:
        server.bind(str(path))
    finally:
        os.umask(old_umask)
    server.listen(16)
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    log.info("warm dbt serving on %s", path)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except InterruptedError:
                continue
            if os.fork() == 0:
                server.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                _handle(conn)
            conn.close()
    finally:
        server.close()
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def serving(timeout: float = 60) -> Iterator[subprocess.Popen]:
    """A warm dbt server for this state folder while the block runs (the benchmark, tests)."""
    env = {**settings.environment(), "PYTHONPATH": str(settings.REPO_ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "transform.warm_dbt"], env=env, cwd=settings.REPO_ROOT)
    try:
        deadline = time.monotonic() + timeout
        while not answers():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the warm dbt server did not start (exit code {process.poll()})")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(30)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    serve()
