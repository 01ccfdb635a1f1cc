"""The kernel's word on finished writes (``ingest.write_watch``), over a real folder: a file is
finished when its writer closes it or renames it in, unfinished again when written to, and
forgotten when it goes; what the watch never saw is never called finished."""

from __future__ import annotations

from pathlib import Path

from ingest.write_watch import WriteWatch


def test_a_file_is_finished_only_between_its_writer_closing_it_and_the_next_write(tmp_path: Path) -> None:
    before = tmp_path / "before.csv"
    before.write_text("written before the watch began", encoding="utf-8")
    watch = WriteWatch.open(tmp_path)
    assert watch is not None, "inotify is there on Linux"
    with watch:
        path = tmp_path / "bao-cao.csv"
        out = path.open("w", encoding="utf-8")
        out.write("ma_chi_tieu,gia_tri\n")
        out.flush()
        assert watch.drain() == {path}
        assert not watch.finished(path), "open for writing"
        out.close()
        watch.drain()
        assert watch.finished(path)
        with path.open("a", encoding="utf-8") as again:
            again.write("CT01,1\n")
            again.flush()
            watch.drain()
            assert not watch.finished(path), "written to again"
        watch.drain()
        assert watch.finished(path)
        path.unlink()
        watch.drain()
        assert not watch.finished(path), "gone"
        assert not watch.finished(before), "never seen written: the settle rule decides"


def test_a_file_renamed_in_is_finished_and_a_new_subfolder_is_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with WriteWatch.open(inbox) as watch:
        (outside / "bao-cao.xlsx").write_bytes(b"PK")
        (outside / "bao-cao.xlsx").rename(inbox / "bao-cao.xlsx")
        (inbox / "2022").mkdir()
        watch.drain()
        (inbox / "2022" / "so-lieu.csv").write_text("x", encoding="utf-8")
        watch.drain()
        assert watch.finished(inbox / "bao-cao.xlsx")
        assert watch.finished(inbox / "2022" / "so-lieu.csv")


def test_a_missing_inbox_is_watched_once_it_exists(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    with WriteWatch.open(inbox) as watch:
        assert watch.wait(0.1) == set()
        inbox.mkdir()
        watch.follow_folders()
        (inbox / "a.csv").write_text("x", encoding="utf-8")
        assert watch.wait(5) == {inbox / "a.csv"}
        assert watch.finished(inbox / "a.csv")
