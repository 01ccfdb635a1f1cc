"""The inbox watcher (the triggerer's side of a drop): real files in a real folder, the real
trigger's event loop. A file is announced once it is ready by the inbox DAG's own rule, once
only, and again when it is replaced; lock, temporary and still-fresh files are not announced.
A file dropped while the watcher runs is announced as soon as its writer finishes it, and the
DAG takes it without waiting again while it has not moved."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.inbox import InboxFile, scan
from ingest.inbox_watch import CLASSPATH, Announcements, InboxWatchTrigger, announced, vouched_by_announcements

SETTLE = 2.0


def put(folder: Path, name: str, text: str = "x", age: float = 60.0) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


async def events(trigger: InboxWatchTrigger, count: int, quiet: float) -> list[list[str]]:
    """The files named by the first ``count`` events, then by whatever else fires within
    ``quiet`` seconds."""
    stream = trigger.run().__aiter__()
    seen = [(await asyncio.wait_for(stream.__anext__(), timeout=30)).payload for _ in range(count)]
    with contextlib.suppress(TimeoutError):
        seen.append((await asyncio.wait_for(stream.__anext__(), timeout=quiet)).payload)
    await stream.aclose()
    return [payload["files"] for payload in seen]


def watcher(inbox: Path) -> InboxWatchTrigger:
    return InboxWatchTrigger(inbox=str(inbox), poll_seconds=0.05, settle_seconds=SETTLE)


def test_a_ready_file_is_announced_once_with_its_office_and_name(tmp_path: Path) -> None:
    put(tmp_path / "bhxh", "Báo cáo tháng 6.csv")
    put(tmp_path / "yte" / "2022", "so-lieu.xlsx")
    assert asyncio.run(events(watcher(tmp_path), 1, quiet=3)) == [["bhxh/Báo cáo tháng 6.csv", "yte/2022/so-lieu.xlsx"]]


def test_lock_temporary_and_fresh_files_wait_until_they_are_ready(tmp_path: Path) -> None:
    put(tmp_path / "bhxh", "~$bao-cao.xlsx")
    put(tmp_path / "bhxh", "bao-cao.csv.part")
    fresh = put(tmp_path / "bhxh", "bao-cao.csv", age=0)

    async def scenario() -> list[list[str]]:
        stream = watcher(tmp_path).run().__aiter__()
        before = asyncio.ensure_future(stream.__anext__())
        done, _ = await asyncio.wait({before}, timeout=1.0)
        assert not done, "a file younger than the settle time was announced"
        first = await asyncio.wait_for(before, timeout=30)  # it settles by itself
        await stream.aclose()
        return [first.payload["files"]]

    assert asyncio.run(scenario()) == [["bhxh/bao-cao.csv"]]
    assert fresh.exists(), "the watcher never moves or changes a file"


def test_a_replaced_file_is_announced_again(tmp_path: Path) -> None:
    path = put(tmp_path / "bhxh", "bao-cao.csv", "first")

    async def scenario() -> list[list[str]]:
        stream = watcher(tmp_path).run().__aiter__()
        first = await asyncio.wait_for(stream.__anext__(), timeout=30)
        put(tmp_path / "bhxh", "bao-cao.csv", "second, longer")
        second = await asyncio.wait_for(stream.__anext__(), timeout=30)
        await stream.aclose()
        return [first.payload["files"], second.payload["files"]]

    assert asyncio.run(scenario()) == [["bhxh/bao-cao.csv"]] * 2
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


# A drop made while the watcher runs: the kernel tells when its writer is done, so the file is
# announced at once, though the settle time here is an hour.
HOUR = 3600.0


def hour_watcher(inbox: Path) -> InboxWatchTrigger:
    return InboxWatchTrigger(inbox=str(inbox), poll_seconds=0.05, settle_seconds=HOUR)


async def while_watching(inbox: Path, act: Callable[[], None], quiet: float = 2.0) -> list[dict]:
    """The events the watcher fires while ``act`` drops files and within ``quiet`` seconds after."""
    stream = hour_watcher(inbox).run().__aiter__()
    pending = asyncio.ensure_future(stream.__anext__())
    await asyncio.sleep(0.5)  # the watch is open and has looked once
    await asyncio.to_thread(act)
    seen = []
    while True:
        done, _ = await asyncio.wait({pending}, timeout=quiet)
        if not done:
            break
        seen.append(pending.result().payload)
        pending = asyncio.ensure_future(stream.__anext__())
    pending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pending
    await stream.aclose()
    return seen


def test_a_file_its_writer_finished_is_announced_at_once_with_its_size_and_time(tmp_path: Path) -> None:
    (tmp_path / "bhxh").mkdir()

    def drop() -> None:
        with open(tmp_path / "bhxh" / "bao-cao.csv", "w", encoding="utf-8") as out:
            out.write("ma_chi_tieu,gia_tri\n")
        (tmp_path / "yte" / "2022").mkdir(parents=True)  # an office and a year folder made now
        time.sleep(0.5)  # files copied into a folder as it is made settle: someone makes it first
        (tmp_path / "yte" / "2022" / "so-lieu.xlsx").write_bytes(b"PK")

    seen = asyncio.run(while_watching(tmp_path, drop))
    assert sorted(name for payload in seen for name in payload["files"]) == [
        "bhxh/bao-cao.csv",
        "yte/2022/so-lieu.xlsx",
    ]
    csv = (tmp_path / "bhxh" / "bao-cao.csv").stat()
    assert seen[0]["seen"]["bhxh/bao-cao.csv"] == [csv.st_size, csv.st_mtime]


def test_a_file_still_being_written_waits_for_its_writer_to_close_it(tmp_path: Path) -> None:
    (tmp_path / "bhxh").mkdir()
    path = tmp_path / "bhxh" / "bao-cao.csv"
    writer = []

    def start_writing() -> None:
        out = path.open("w", encoding="utf-8")
        out.write("ma_chi_tieu,gia_tri\nCT01,1\n")
        out.flush()
        writer.append(out)

    async def scenario() -> tuple[list[dict], list[dict]]:
        during = await while_watching(tmp_path, start_writing)
        after = await while_watching(tmp_path, writer[0].close)
        return during, after

    during, after = asyncio.run(scenario())
    assert during == [], "a file was announced while its writer still had it open"
    assert [payload["files"] for payload in after] == [["bhxh/bao-cao.csv"]]
    assert after[0]["seen"]["bhxh/bao-cao.csv"][0] == len("ma_chi_tieu,gia_tri\nCT01,1\n")


def test_a_writer_that_opens_the_file_again_within_its_quiet_second_holds_it_back(tmp_path: Path) -> None:
    (tmp_path / "bhxh").mkdir()
    path = tmp_path / "bhxh" / "bao-cao.csv"
    writer = []

    def write_in_chunks() -> None:
        path.write_text("ma_chi_tieu,gia_tri\n", encoding="utf-8")  # the first chunk, closed
        writer.append(path.open("a", encoding="utf-8"))  # the next one opened at once

    async def scenario() -> tuple[list[dict], list[dict]]:
        during = await while_watching(tmp_path, write_in_chunks)

        def last_chunk() -> None:
            writer[0].write("CT01,1\n")
            writer[0].close()

        after = await while_watching(tmp_path, last_chunk)
        return during, after

    during, after = asyncio.run(scenario())
    assert during == [], "announced between two chunks of one writer"
    assert after[0]["seen"]["bhxh/bao-cao.csv"][0] == len("ma_chi_tieu,gia_tri\nCT01,1\n")


def test_an_empty_placeholder_waits_to_settle(tmp_path: Path) -> None:
    (tmp_path / "bhxh").mkdir()
    seen = asyncio.run(while_watching(tmp_path, (tmp_path / "bhxh" / "bao-cao.xlsx").touch))
    assert seen == [], "a browser's empty placeholder was announced"


def test_a_file_saved_under_a_scratch_name_and_renamed_is_announced_by_its_final_name(tmp_path: Path) -> None:
    (tmp_path / "bhxh").mkdir()

    def save_as_excel_does() -> None:
        scratch = tmp_path / "bhxh" / "A1B2C3D4"  # Excel's scratch file has no extension
        scratch.write_bytes(b"PK workbook")
        time.sleep(0.5)  # the scratch file is finished but not of a format the inbox reads
        scratch.rename(tmp_path / "bhxh" / "bao-cao.xlsx")

    seen = asyncio.run(while_watching(tmp_path, save_as_excel_does))
    assert [payload["files"] for payload in seen] == [["bhxh/bao-cao.xlsx"]]


def test_the_dag_takes_an_announced_file_at_once_only_while_it_has_not_moved(tmp_path: Path) -> None:
    same = put(tmp_path / "bhxh", "same.csv", age=0)
    moved = put(tmp_path / "bhxh", "moved.csv", age=0)
    now_ns = time.time_ns() // 1_000_000_000 * 1_000_000_000 + 123_456_789  # nanoseconds matter
    for path in (same, moved):
        os.utime(path, ns=(now_ns, now_ns))
    # the event comes back from Airflow with its times to the microsecond
    extras = [
        {
            "from_trigger": True,
            "payload": {
                "files": ["bhxh/same.csv", "bhxh/moved.csv"],
                "seen": {
                    "bhxh/same.csv": [same.stat().st_size, round(same.stat().st_mtime, 6)],
                    "bhxh/moved.csv": [moved.stat().st_size, round(moved.stat().st_mtime, 6)],
                },
            },
        },
        {"note": "an event sent by hand"},
        {"payload": {"files": ["bhxh/x.csv"], "seen": {"bhxh/x.csv": "junk"}}},
    ]
    moved.write_text("y", encoding="utf-8")  # rewritten since: the same size, a later time
    os.utime(moved, ns=(now_ns + 1_000_000, now_ns + 1_000_000))
    files = announced(extras)
    assert sorted(files) == ["bhxh/moved.csv", "bhxh/same.csv"]
    vouched = vouched_by_announcements(tmp_path, files)
    ready = scan(tmp_path, ["bhxh"], settle=HOUR, vouched=vouched)
    assert [f.relative_path for f in ready] == ["same.csv"]
    assert scan(tmp_path, ["bhxh"], settle=HOUR) == [], "without the announcement both wait to settle"
