"""The inbox watcher (the triggerer's side of a drop): real files in a real folder, the real
trigger's event loop. A file is announced once it is ready by the inbox DAG's own rule, once
only, and again when it is replaced; lock, temporary and still-fresh files are not announced."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import time
from pathlib import Path

import pytest

from ingest.inbox import InboxFile
from ingest.inbox_watch import CLASSPATH, Announcements, InboxWatchTrigger

SETTLE = 2.0


def put(folder: Path, name: str, text: str = "x", age: float = 60.0) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


async def events(trigger: InboxWatchTrigger, count: int, quiet: float) -> list[dict]:
    """The first ``count`` events, then whatever else fires within ``quiet`` seconds."""
    stream = trigger.run().__aiter__()
    seen = [(await asyncio.wait_for(stream.__anext__(), timeout=30)).payload for _ in range(count)]
    with contextlib.suppress(TimeoutError):
        seen.append((await asyncio.wait_for(stream.__anext__(), timeout=quiet)).payload)
    await stream.aclose()
    return seen


def watcher(inbox: Path) -> InboxWatchTrigger:
    return InboxWatchTrigger(inbox=str(inbox), poll_seconds=0.05, settle_seconds=SETTLE)


def test_a_ready_file_is_announced_once_with_its_office_and_name(tmp_path: Path) -> None:
    put(tmp_path / "bhxh", "Báo cáo tháng 6.csv")
    put(tmp_path / "yte" / "2022", "so-lieu.xlsx")
    assert asyncio.run(events(watcher(tmp_path), 1, quiet=3)) == [
        {"files": ["bhxh/Báo cáo tháng 6.csv", "yte/2022/so-lieu.xlsx"]}
    ]


def test_lock_temporary_and_fresh_files_wait_until_they_are_ready(tmp_path: Path) -> None:
    put(tmp_path / "bhxh", "~$bao-cao.xlsx")
    put(tmp_path / "bhxh", "bao-cao.csv.part")
    fresh = put(tmp_path / "bhxh", "bao-cao.csv", age=0)

    async def scenario() -> list[dict]:
        stream = watcher(tmp_path).run().__aiter__()
        before = asyncio.ensure_future(stream.__anext__())
        done, _ = await asyncio.wait({before}, timeout=1.0)
        assert not done, "a file younger than the settle time was announced"
        first = await asyncio.wait_for(before, timeout=30)  # it settles by itself
        await stream.aclose()
        return [first.payload]

    assert asyncio.run(scenario()) == [{"files": ["bhxh/bao-cao.csv"]}]
    assert fresh.exists(), "the watcher never moves or changes a file"


def test_a_replaced_file_is_announced_again(tmp_path: Path) -> None:
    path = put(tmp_path / "bhxh", "bao-cao.csv", "first")

    async def scenario() -> list[dict]:
        stream = watcher(tmp_path).run().__aiter__()
        first = await asyncio.wait_for(stream.__anext__(), timeout=30)
        put(tmp_path / "bhxh", "bao-cao.csv", "second, longer")
        second = await asyncio.wait_for(stream.__anext__(), timeout=30)
        await stream.aclose()
        return [first.payload, second.payload]

    assert asyncio.run(scenario()) == [{"files": ["bhxh/bao-cao.csv"]}] * 2
    assert path.read_text(encoding="utf-8") == "second, longer"


def test_an_empty_or_missing_inbox_fires_nothing(tmp_path: Path) -> None:
    (tmp_path / "inbox" / "bhxh").mkdir(parents=True)
    assert asyncio.run(events(watcher(tmp_path / "inbox"), 0, quiet=1.5)) == []
    assert asyncio.run(events(watcher(tmp_path / "missing"), 0, quiet=0.5)) == []


def item(name: str, size: int = 1, mtime: float = 1.0) -> InboxFile:
    return InboxFile("bhxh", Path("/inbox/bhxh") / name, name, size, mtime)


def test_announcements_forget_files_that_left_the_inbox() -> None:
    seen = Announcements()
    assert seen.new([item("a.csv"), item("b.csv")]) == [item("a.csv"), item("b.csv")]
    assert seen.new([item("a.csv"), item("b.csv")]) == []
    assert seen.new([item("b.csv", size=2)]) == [item("b.csv", size=2)]  # replaced
    assert seen.new([]) == []
    assert seen.new([item("a.csv")]) == [item("a.csv")]  # dropped again after it was archived


def test_the_trigger_rebuilds_from_what_it_serialises() -> None:
    trigger = InboxWatchTrigger(inbox="/srv/inbox", poll_seconds=0.5, settle_seconds=7)
    classpath, kwargs = trigger.serialize()
    module, _, name = classpath.rpartition(".")
    again = getattr(importlib.import_module(module), name)(**kwargs)
    assert classpath == CLASSPATH
    assert again.serialize() == (CLASSPATH, {"inbox": "/srv/inbox", "poll_seconds": 0.5, "settle_seconds": 7})


def test_without_a_settle_time_it_follows_the_inbox_dag_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_SETTLE_SECONDS", "3600")
    put(tmp_path / "bhxh", "bao-cao.csv", age=60)  # ready by a 5 s rule, not by the hour set here
    trigger = InboxWatchTrigger(inbox=str(tmp_path), poll_seconds=0.05)
    assert asyncio.run(events(trigger, 0, quiet=1.5)) == []
