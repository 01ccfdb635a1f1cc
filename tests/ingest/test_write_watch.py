"""The kernel's word on finished writes (``ingest.write_watch``), over real folders: a file is
finished once its writer closed it (or renamed it in), nothing holds it open and a quiet second
has passed; written to or opened again, it is unfinished; gone, forgotten. What the watch never
saw is never called finished, and folders moved away take what was known of them along."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.write_watch import QUIET_SECONDS, WriteWatch


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "bhxh").mkdir(parents=True)
    return folder


@pytest.fixture
def watch(inbox: Path) -> Iterator[WriteWatch]:
    opened = WriteWatch.open(inbox)
    assert opened is not None, "inotify is there on Linux"
    with opened:
        yield opened


def later() -> float:
    """A moment when a quiet second that began now is over."""
    return time.monotonic() + QUIET_SECONDS + 0.5


def test_a_file_is_finished_only_once_closed_let_go_and_quiet(inbox: Path, watch: WriteWatch) -> None:
    path = inbox / "bhxh" / "bao-cao.csv"
    out = path.open("w", encoding="utf-8")
    out.write("ma_chi_tieu,gia_tri\n")
    out.flush()
    assert watch.drain() == {path}
    assert not watch.finished(path, later()), "open for writing"
    out.close()
    watch.drain()
    assert not watch.finished(path), "closed this very moment: its quiet second is still running"
    assert 0 < watch.next_finish_in() <= QUIET_SECONDS
    assert watch.finished(path, later())

    again = path.open("a", encoding="utf-8")  # a script that appends in chunks opens it again
    watch.drain()
    assert not watch.finished(path, later()), "open again, though nothing is written yet"
    again.write("CT01,1\n")
    again.close()
    watch.drain()
    assert watch.finished(path, later())

    reader = path.open("rb")  # someone reading it holds it too: the settle rule decides meanwhile
    watch.drain()
    assert not watch.finished(path, later())
    reader.close()
    assert watch.drain() == set(), "a reader letting go concerns no write"
    assert watch.finished(path, later())

    path.unlink()
    watch.drain()
    assert not watch.finished(path, later()), "gone"


def test_what_the_watch_never_saw_written_is_never_finished(inbox: Path) -> None:
    before = inbox / "bhxh" / "before.csv"
    before.write_text("written before the watch began", encoding="utf-8")
    with WriteWatch.open(inbox) as watch:
        watch.drain()
        assert not watch.finished(before, later())
        assert watch.next_finish_in() is None


def test_a_file_renamed_in_is_finished_and_a_new_subfolder_is_followed(
    tmp_path: Path, inbox: Path, watch: WriteWatch
) -> None:
    (tmp_path / "bao-cao.xlsx").write_bytes(b"PK")
    (tmp_path / "bao-cao.xlsx").rename(inbox / "bhxh" / "bao-cao.xlsx")
    (inbox / "bhxh" / "2022").mkdir()
    watch.drain()
    (inbox / "bhxh" / "2022" / "so-lieu.csv").write_text("x", encoding="utf-8")
    watch.drain()
    assert watch.finished(inbox / "bhxh" / "bao-cao.xlsx", later())
    assert watch.finished(inbox / "bhxh" / "2022" / "so-lieu.csv", later())


def test_a_folder_moved_away_is_forgotten_and_its_successor_watched(
    tmp_path: Path, inbox: Path, watch: WriteWatch
) -> None:
    (inbox / "bhxh" / "2022").mkdir()
    watch.drain()
    (inbox / "bhxh").rename(tmp_path / "bhxh-cu")
    watch.drain()
    (tmp_path / "bhxh-cu" / "2022" / "so-lieu.csv").write_text("old folder", encoding="utf-8")
    (inbox / "bhxh" / "2022").mkdir(parents=True)  # a new folder where the old one was
    new = inbox / "bhxh" / "2022" / "so-lieu.csv"
    writer = new.open("w", encoding="utf-8")  # still being written
    watch.drain()
    assert not watch.finished(new, later()), "a write in the moved folder said nothing of this one"
    watch.follow_folders()  # what the watcher does at each look
    writer.write("x")
    writer.close()
    watch.drain()
    assert watch.finished(new, later())


def test_a_replaced_inbox_root_is_watched_anew(tmp_path: Path, inbox: Path, watch: WriteWatch) -> None:
    inbox.rename(tmp_path / "inbox-cu")
    (inbox / "bhxh").mkdir(parents=True)
    watch.drain()
    (tmp_path / "inbox-cu" / "bhxh" / "a.csv").write_text("old root", encoding="utf-8")
    watch.drain()
    assert not watch.finished(inbox / "bhxh" / "a.csv", later())
    watch.follow_folders()
    (inbox / "bhxh" / "a.csv").write_text("new root", encoding="utf-8")
    watch.drain()
    assert watch.finished(inbox / "bhxh" / "a.csv", later())


def test_a_missing_inbox_is_watched_once_it_exists(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    with WriteWatch.open(inbox) as watch:
        assert watch.drain() == set()
        inbox.mkdir()
        watch.follow_folders()
        (inbox / "a.csv").write_text("x", encoding="utf-8")
        assert watch.drain() == {inbox / "a.csv"}
        assert watch.finished(inbox / "a.csv", later())


def test_events_it_could_not_keep_up_with_make_it_forget_everything(inbox: Path, watch: WriteWatch) -> None:
    path = inbox / "bhxh" / "a.csv"
    path.write_text("x", encoding="utf-8")
    watch.drain()
    assert watch.finished(path, later())
    overflow = (-1).to_bytes(4, "little", signed=True) + (0x4000).to_bytes(4, "little") + bytes(8)
    watch._take(overflow, time.monotonic())  # what the kernel sends when its queue overflowed
    assert not watch.finished(path, later())
    assert os.path.exists(path), "the watch never touches a file"
