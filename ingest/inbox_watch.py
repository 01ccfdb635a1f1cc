"""Watch the office inboxes from Airflow's triggerer, so a drop starts the inbox DAG at once.

``InboxWatchTrigger`` runs in the triggerer as an Asset watcher. It learns from the kernel when
a writer finishes a file (``ingest.write_watch``, Linux inotify): such a file, with bytes and
of a format the inbox reads, is ready a quiet second after its writer let go of it. Every
other file follows the inbox's settle rule (``ingest.inbox.scan``: settled, not a lock or
temporary file, not a symlink), looked at every second. It fires one event for each batch of
files it has not announced yet, naming each file with its size and modification time. The
event updates the inbox Asset, which schedules the inbox DAG; the DAG's ``detect`` takes an
announced file without waiting again if it has not moved since (``vouched_by_announcements``)
and finds, validates and loads the files itself, so a lost or repeated event costs at most
one run that finds nothing, and exactly-once loading stays with the load path.

Cheap to import (the DAG file imports it at parse time): the standard library, ``core`` and
the inbox's scan only.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

from ingest.inbox import InboxFile, Vouch, nobody, scan
from ingest.model import FORMATS
from ingest.write_watch import WriteWatch

CLASSPATH = "ingest.inbox_watch.InboxWatchTrigger"
GATHER_SECONDS = 0.05
WATCHING = "Watching the inbox"  # the log line that says the watch is open, and how


def office_folders(inbox_root: Path) -> list[str]:
    """The offices' folders present in the inbox (hidden folders are not offices)."""
    if not inbox_root.is_dir():
        return []
    return sorted(p.name for p in inbox_root.iterdir() if p.is_dir() and not p.name.startswith("."))


def place(f: InboxFile) -> str:
    """Where a ready file is: its office's folder and its path inside it."""
    return f"{f.office_code}/{f.relative_path}"


class Announcements:
    """Which ready files were already announced, by their place, size and modification time: a
    file is announced once, again only if it was replaced, and forgotten once it left the inbox."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, float]] = {}

    def new(self, ready: list[InboxFile]) -> list[InboxFile]:
        present = {place(f): (f.size, f.mtime) for f in ready}
        fresh = [f for f in ready if self._seen.get(place(f)) != present[place(f)]]
        self._seen = present
        return fresh


def ready_files(inbox_root: Path, settle: float | None, vouched: Vouch = nobody) -> list[InboxFile]:
    """The inbox DAG's own readiness rule, over every office folder present."""
    return scan(inbox_root, office_folders(inbox_root), settle=settle, vouched=vouched)


def finished_by_writer(watch: WriteWatch) -> Vouch:
    """Vouch for a file whose writer finished it, if it has bytes and is of a format the inbox
    reads: a program's scratch file (Excel saves through one with no extension) and an empty
    placeholder (a browser's, before its download lands) wait to settle."""

    def vouch(path: Path, size: int, mtime: float) -> bool:
        return size > 0 and path.suffix.lower().lstrip(".") in FORMATS and watch.finished(path)

    return vouch


def event_payload(files: list[InboxFile]) -> dict[str, Any]:
    """What the Asset event says: the files that became ready, with the size and modification
    time they had, by which the DAG knows them again."""
    return {"files": [place(f) for f in files], "seen": {place(f): [f.size, f.mtime] for f in files}}


def announced(extras: Iterable[Any]) -> dict[str, tuple[int, float]]:
    """The files named by the watcher's Asset events (their ``extra``), with the size and
    modification time each had; a later announcement of the same file wins. Anything that is not
    such an announcement is ignored: an event sent by hand or by an older watcher."""
    found: dict[str, tuple[int, float]] = {}
    for extra in extras:
        payload = extra.get("payload") if isinstance(extra, Mapping) else None
        seen = payload.get("seen") if isinstance(payload, Mapping) else None
        if not isinstance(seen, Mapping):
            continue
        for where, stat in seen.items():
            if isinstance(where, str) and isinstance(stat, list | tuple) and len(stat) == 2:
                with contextlib.suppress(TypeError, ValueError):
                    found[where] = (int(stat[0]), float(stat[1]))
    return found


# A modification time read back from an Asset event may have lost its last float digits on the
# way through Airflow's serialisers; 10 microseconds is far under the file system's clock tick.
MTIME_SLACK = 0.00001


def vouched_by_announcements(inbox_root: Path, files: Mapping[str, tuple[int, float]]) -> Vouch:
    """Vouch for a file the watcher announced that has the same size and modification time now:
    the watcher saw it finished, so the DAG need not wait for it to settle again."""
    by_path = {inbox_root / where: stat for where, stat in files.items()}

    def vouch(path: Path, size: int, mtime: float) -> bool:
        seen = by_path.get(path)
        return seen is not None and seen[0] == size and abs(seen[1] - mtime) < MTIME_SLACK

    return vouch


async def readable(fd: int, timeout: float) -> bool:
    """Whether ``fd`` has something to read within ``timeout`` seconds (waits on the loop)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
    return True


class InboxWatchTrigger(BaseEventTrigger):
    """Fires when files become ready in the office inboxes (see the module's docstring)."""

    def __init__(self, inbox: str, poll_seconds: float = 1.0, settle_seconds: float | None = None) -> None:
        super().__init__()
        self.inbox = inbox
        self.poll_seconds = poll_seconds
        self.settle_seconds = settle_seconds

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return CLASSPATH, {
            "inbox": self.inbox,
            "poll_seconds": self.poll_seconds,
            "settle_seconds": self.settle_seconds,
        }

    async def run(self) -> AsyncIterator[TriggerEvent]:
        announcements = Announcements()
        root = Path(self.inbox)
        watch = WriteWatch.open(root)
        how = "finished writes (inotify) and the settle rule" if watch else "the settle rule only (no inotify)"
        self.log.info("%s %s: %s", WATCHING, root, how)
        try:
            while True:
                fresh = announcements.new(await self._look(root, watch))
                if fresh:
                    yield TriggerEvent(event_payload(fresh))
                await self._pause(watch)
        finally:
            if watch is not None:  # no thread uses it: only scan() runs in one, and never touches it
                watch.close()

    async def _look(self, root: Path, watch: WriteWatch | None) -> list[InboxFile]:
        """The ready files now: finished by their writer, or settled. scan() stats every file and
        may pause a second to see that none still grows: a thread keeps the triggerer's event
        loop free meanwhile. The watch itself is read and fed here, on the loop."""
        if watch is None:
            return await asyncio.to_thread(ready_files, root, self.settle_seconds)
        watch.follow_folders()
        watch.drain()
        ready = await asyncio.to_thread(ready_files, root, self.settle_seconds, finished_by_writer(watch))
        written_meanwhile = watch.drain()  # a writer that started while we looked: not ready yet
        return [f for f in ready if f.path not in written_meanwhile]

    async def _pause(self, watch: WriteWatch | None) -> None:
        """Wait for the next look: ``poll_seconds``, or less when a file is written or a closed
        file's quiet second ends. Directory listings (the scan's own) do not count."""
        if watch is None:
            await asyncio.sleep(self.poll_seconds)
            return
        loop = asyncio.get_running_loop()
        due = watch.next_finish_in()
        deadline = loop.time() + (self.poll_seconds if due is None else min(self.poll_seconds, due + GATHER_SECONDS))
        while (remaining := deadline - loop.time()) > 0:
            if not await readable(watch.fileno(), remaining):
                return
            if watch.drain():
                await asyncio.sleep(GATHER_SECONDS)  # one copy's many writes come as one look
                return
