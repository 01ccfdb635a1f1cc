"""Run untrusted reading in a forked child with memory, CPU and wall-clock limits.

A crafted workbook can make a native reader reserve hundreds of GB and abort the whole
process (no Python exception), and a crafted cell can keep a pattern busy for minutes. So
the reading step runs in a child forked from the (already warm) caller: it inherits the
loaded modules and the catalog, so the happy path pays only the fork and the pickling of
the result. The child gets an address-space limit (``INGEST_READ_MEMORY_MB`` on top of
what it inherited), a CPU limit and a wall-clock deadline (``INGEST_READ_TIMEOUT_SECONDS``).
If it dies, is killed or runs out of time, ``run`` raises ``ChildFailed`` and the caller
turns that into a quarantine with a plain reason.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import math
import os
import pickle
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from core import settings

T = TypeVar("T")

TIMEOUT = "timeout"  # the wall-clock deadline passed: the child was killed
MEMORY = "memory"  # the child ran out of its address space
CRASHED = "crashed"  # the child died by a signal or exited without a result
ERROR = "error"  # the function raised an exception (its text is in ``detail``)

_RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGCHLD")
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one reading may take."""

    seconds: float
    memory_mb: int

    @classmethod
    def current(cls) -> Limits:
        """``INGEST_READ_TIMEOUT_SECONDS`` (default 120) and ``INGEST_READ_MEMORY_MB`` (default 2048)."""
        return cls(
            settings.ingest_read_timeout_seconds(),
            settings.ingest_read_memory_mb(),
        )


class ChildFailed(RuntimeError):
    """The isolated call did not return a result."""

    def __init__(self, reason: str, detail: str, limits: Limits) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.limits = limits


def _address_space_now() -> int:
    """Bytes of virtual memory this process maps already (the child inherits all of it)."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_child(limits: Limits) -> None:
    os.environ["RUST_BACKTRACE"] = "0"  # a refused allocation prints one line, not a backtrace
    faulthandler.disable()  # a crash is reported by the parent, not as the caller's stack dump
    for name in _RESET_SIGNALS:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):  # die with the parent (Linux)
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    budget = _address_space_now() + limits.memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    cpu = max(1, math.ceil(limits.seconds)) + 1
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(write_fd: int, limits: Limits, fn: Callable[..., object], args: tuple) -> None:
    code = 70
    try:
        gc.freeze()  # inherited objects stay out of collections: no copy-on-write of the whole heap
        _limit_child(limits)
        try:
            payload = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps((MEMORY, "MemoryError"))
        except BaseException as exc:
            payload = pickle.dumps((ERROR, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-4000:]}"))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
        code = 0
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _describe(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGXCPU:
            return TIMEOUT, f"CPU limit reached ({name})"
        return CRASHED, f"killed by {name}"
    return CRASHED, f"exited with code {os.waitstatus_to_exitcode(status)} without a result"


def run(fn: Callable[..., T], *args: object, limits: Limits | None = None) -> T:
    """``fn(*args)`` in a forked child under ``limits``; raises ``ChildFailed`` if no result comes back."""
    limits = limits or Limits.current()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        os.close(read_fd)
        _child(write_fd, limits, fn, args)
    os.close(write_fd)
    chunks: list[bytes] = []
    timed_out = False
    reaped = False
    try:
        deadline = time.monotonic() + limits.seconds
        poller = select.poll()  # not select(): a busy worker may hold descriptors past 1024
        poller.register(read_fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                break
            if not poller.poll(max(1, math.ceil(remaining * 1000))):
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        reaped = True
    finally:
        os.close(read_fd)
        if not reaped:  # the caller is being interrupted: never leave the child behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    if timed_out:
        raise ChildFailed(TIMEOUT, f"no result within {limits.seconds:g} s", limits)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and chunks:
        enabled = gc.isenabled()
        gc.disable()  # many small objects at once: collecting while they arrive only costs time
        try:
            kind, value = pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's bytes
        except Exception as exc:
            raise ChildFailed(CRASHED, f"unreadable result: {exc}", limits) from exc
        finally:
            if enabled:
                gc.enable()
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        raise ChildFailed(kind, str(value), limits)
    reason, detail = _describe(status)
    if reason == CRASHED and os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV):
        detail += " (often an allocation refused by the memory limit)"
    raise ChildFailed(reason, detail, limits)
