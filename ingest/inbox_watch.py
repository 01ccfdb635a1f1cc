"""Watch the office inboxes from Airflow's triggerer, so a drop starts the inbox DAG at once.

A 30-second schedule made a dropped file wait 15 s on average before anyone looked at it.
``InboxWatchTrigger`` runs in the triggerer as an Asset watcher: it looks at the inboxes every
second with the same readiness rule as the inbox DAG (``ingest.inbox.scan``: the file settled,
not a lock or temporary file, not a symlink) and fires one event for each batch of files it has
not announced yet. The event updates the inbox Asset, which schedules the inbox DAG; the DAG
still finds, validates and loads the files itself, so a lost or repeated event costs at most
one run that finds nothing, and exactly-once loading stays with the load path.

Cheap to import (the DAG file imports it at parse time): the standard library, ``core`` and
the inbox's scan only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

from ingest.inbox import InboxFile, scan

CLASSPATH = "ingest.inbox_watch.InboxWatchTrigger"


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


def ready_files(inbox_root: Path, settle: float | None) -> list[InboxFile]:
    """The inbox DAG's own readiness rule, over every office folder present."""
    return scan(inbox_root, office_folders(inbox_root), settle=settle)


def event_payload(files: list[InboxFile]) -> dict[str, Any]:
    """What the Asset event says: the files that became ready (the DAG finds them again)."""
    return {"files": [place(f) for f in files]}


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
        while True:
            # scan() stats every file and pauses a second to see that none still grows: a thread
            # keeps the triggerer's event loop free for its other triggers meanwhile.
            ready = await asyncio.to_thread(ready_files, root, self.settle_seconds)
            fresh = announcements.new(ready)
            if fresh:
                yield TriggerEvent(event_payload(fresh))
            await asyncio.sleep(self.poll_seconds)
