"""Which inbox files their writer has finished with, told by the kernel (Linux inotify).

The inbox's settle rule (a file is ready once its modification time is a few seconds old and
it stays still a moment more) guesses that a writer is done; it costs every drop those seconds.
The kernel knows: when a process closes a file it wrote, or renames a finished file into the
folder (how Excel and most copy tools save), inotify says so at once. ``WriteWatch`` follows
those events over an inbox and answers one question: did the last write to this file end?

It only makes files ready sooner, never later: a file it knows nothing about (one that was
already there, a folder it did not watch yet, a network mount that sends no events, an event
queue that overflowed) still follows the settle rule. Where inotify is missing (not Linux),
``WriteWatch.open`` gives ``None`` and the settle rule is all there is.

Standard library only (ctypes over libc): the triggerer imports it.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import struct
import time
from pathlib import Path

# inotify(7) event bits
IN_MODIFY = 0x00000002
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ISDIR = 0x40000000

WATCHED = IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
WATCHED |= IN_DELETE_SELF | IN_MOVE_SELF
EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
READ_BYTES = 64 * 1024


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    return libc if hasattr(libc, "inotify_init1") else None


def _visible_folders(root: Path) -> list[Path]:
    """The root and every folder under it that is not hidden (the inbox never reads those)."""
    found = [root]
    for dirpath, dirnames, _ in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / d for d in dirnames)
    return found


class WriteWatch:
    """The finished-write state of the files under one folder (see the module's docstring).

    Not thread-safe; the inbox watcher calls it from one thread at a time."""

    def __init__(self, libc: ctypes.CDLL, fd: int, root: Path) -> None:
        self._libc = libc
        self._fd = fd
        self._root = root
        self._folders: dict[int, Path] = {}  # watch descriptor -> folder
        self._finished: dict[Path, bool] = {}  # file -> did its last write end?

    @classmethod
    def open(cls, root: Path) -> WriteWatch | None:
        """A watch over ``root`` (which may not exist yet), or None where inotify is missing."""
        libc = _libc()
        if libc is None:
            return None
        fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if fd < 0:
            return None
        watch = cls(libc, fd, root)
        watch.follow_folders()
        return watch

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> WriteWatch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def follow_folders(self, top: Path | None = None) -> None:
        """Watch the root (or ``top`` under it) and the folders in it not watched yet (new
        offices, new years)."""
        top = self._root if top is None else top
        if not top.is_dir():
            return
        known = set(self._folders.values())
        for folder in _visible_folders(top):
            if folder not in known:
                self._add(folder)

    def _add(self, folder: Path) -> None:
        wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), WATCHED)
        if wd >= 0:
            self._folders[wd] = folder

    def wait(self, timeout: float, gather: float = 0.05) -> set[Path]:
        """Take in the events of the next ``timeout`` seconds; returns soon after the first, with
        the files they touched (``gather`` seconds more, so one copy's many writes come as one)."""
        readable, _, _ = select.select([self._fd], [], [], max(timeout, 0.0))
        if not readable:
            return set()
        time.sleep(gather)
        return self.drain()

    def drain(self) -> set[Path]:
        """Take in every event already queued, without waiting; returns the files they touched."""
        touched: set[Path] = set()
        while True:
            try:
                data = os.read(self._fd, READ_BYTES)
            except BlockingIOError:
                return touched
            if not data:
                return touched
            touched |= self._take(data)

    def _take(self, data: bytes) -> set[Path]:
        touched: set[Path] = set()
        offset = 0
        while offset + EVENT_HEADER.size <= len(data):
            wd, mask, _, length = EVENT_HEADER.unpack_from(data, offset)
            offset += EVENT_HEADER.size
            name = data[offset : offset + length].rstrip(b"\0")
            offset += length
            path = self._event(wd, mask, os.fsdecode(name))
            if path is not None:
                touched.add(path)
        return touched

    def _event(self, wd: int, mask: int, name: str) -> Path | None:
        """Apply one event; returns the file it touched, if any."""
        if mask & IN_Q_OVERFLOW:  # events were lost: know nothing, let the settle rule decide
            self._finished.clear()
            return None
        folder = self._folders.get(wd)
        if folder is None:
            return None
        if mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
            self._forget_folder(wd, folder)
            return None
        path = folder / name
        if mask & IN_ISDIR:
            if mask & (IN_CREATE | IN_MOVED_TO) and not name.startswith("."):
                self.follow_folders(path)  # its files written from now on are seen; earlier ones settle
            return None
        if mask & (IN_CLOSE_WRITE | IN_MOVED_TO):
            self._finished[path] = True
        elif mask & (IN_MODIFY | IN_CREATE):
            self._finished[path] = False
        elif mask & (IN_DELETE | IN_MOVED_FROM):
            self._finished.pop(path, None)
        return path

    def _forget_folder(self, wd: int, folder: Path) -> None:
        self._folders.pop(wd, None)
        for path in [p for p in self._finished if p.parent == folder]:
            del self._finished[path]

    def finished(self, path: Path) -> bool:
        """Whether the last write to ``path`` seen here ended (closed, or renamed in finished)."""
        return self._finished.get(path, False)
