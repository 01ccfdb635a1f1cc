"""Which inbox files their writer has finished with, told by the kernel (Linux inotify).

The inbox's settle rule (a file is ready once its modification time is a few seconds old and
it stays still a moment more) guesses that a writer is done; it costs every drop those seconds.
The kernel knows more: inotify reports every open and close of a file, every write, and a
finished file renamed into the folder (how Excel and most copy tools save). ``WriteWatch``
follows those events over an inbox and calls a file finished when its last write ended
(closed after writing, or renamed in), no handle on it is open, and a quiet second has passed
with no event: a script that appends in chunks, closing between them, gets that second to
come back.

It only makes files ready sooner, never later: a file it knows nothing about (one that was
already there, a folder it did not watch yet, a network mount that sends no events, an event
queue that overflowed) still follows the settle rule. Where inotify is missing (not Linux),
``WriteWatch.open`` gives ``None`` and the settle rule is all there is.

Standard library only (ctypes over libc): the triggerer imports it. Not thread-safe: one
caller at a time; the descriptor is non-blocking, for an event loop's ``add_reader``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path

# inotify(7) event bits
IN_MODIFY = 0x00000002
IN_CLOSE_WRITE = 0x00000008
IN_CLOSE_NOWRITE = 0x00000010
IN_OPEN = 0x00000020
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_ISDIR = 0x40000000

FILE_EVENTS = IN_MODIFY | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_OPEN | IN_MOVED_FROM | IN_MOVED_TO
WATCHED = FILE_EVENTS | IN_CREATE | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW
EVENT_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
READ_BYTES = 64 * 1024
# How long a closed file must stay without events before it counts as finished: the same one
# second the settle rule waits for a file's size to stay put.
QUIET_SECONDS = 1.0


def _libc() -> ctypes.CDLL | None:
    """The C library of this process, if it has inotify."""
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL(None, use_errno=True)
        if hasattr(libc, "inotify_init1"):
            return libc
    return None


def _visible_folders(root: Path) -> list[Path]:
    """The root and every folder under it that is not hidden (the inbox never reads those)."""
    found = [root]
    for dirpath, dirnames, _ in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / d for d in dirnames)
    return found


@dataclass
class _File:
    """What the events said of one file."""

    closed: bool  # its last write ended: closed after writing, or renamed in
    last_event: float  # time.monotonic() of its last event
    opens: int = 0  # handles seen opened and not yet closed

    def quiet_left(self, now: float) -> float | None:
        """Seconds of its quiet second still to run (0: finished), or None while it is not
        closed or something holds it open."""
        if not self.closed or self.opens:
            return None
        return max(0.0, QUIET_SECONDS - (now - self.last_event))


class WriteWatch:
    """The finished-write state of the files under one folder (see the module's docstring)."""

    def __init__(self, libc: ctypes.CDLL, fd: int, root: Path) -> None:
        self._libc = libc
        self._fd = fd
        self._root = root
        self._folders: dict[int, Path] = {}  # watch descriptor -> folder
        self._files: dict[Path, _File] = {}

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
        try:
            watch.follow_folders()
        except BaseException:
            watch.close()
            raise
        return watch

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> WriteWatch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def follow_folders(self, top: Path | None = None) -> None:
        """Watch the root (or ``top`` under it) and the folders in it not watched yet (new
        offices, new years, a root made or replaced)."""
        top = self._root if top is None else top
        if not top.is_dir():
            return
        known = set(self._folders.values())
        for folder in _visible_folders(top):
            if folder not in known:
                wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), WATCHED)
                if wd >= 0:
                    self._folders[wd] = folder

    def drain(self) -> set[Path]:
        """Take in every event already queued, without waiting; returns the files whose
        content or handles the events concern (a reader closing a file is not among them)."""
        touched: set[Path] = set()
        while True:
            try:
                data = os.read(self._fd, READ_BYTES)
            except BlockingIOError:
                return touched
            if not data:
                return touched
            touched |= self._take(data, time.monotonic())

    def _take(self, data: bytes, now: float) -> set[Path]:
        touched: set[Path] = set()
        offset = 0
        while offset + EVENT_HEADER.size <= len(data):
            wd, mask, _, length = EVENT_HEADER.unpack_from(data, offset)
            offset += EVENT_HEADER.size
            name = data[offset : offset + length].rstrip(b"\0")
            offset += length
            path = self._event(wd, mask, os.fsdecode(name), now)
            if path is not None:
                touched.add(path)
        return touched

    def _event(self, wd: int, mask: int, name: str, now: float) -> Path | None:
        """Apply one event; returns the file whose writing it concerns, if any."""
        if mask & IN_Q_OVERFLOW:  # events were lost: know nothing, let the settle rule decide
            self._files.clear()
            return None
        folder = self._folders.get(wd)
        if folder is None:
            return None
        if mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF):
            self._forget(folder)  # gone or moved away (the root too): looked for again later
            return None
        path = folder / name
        if mask & IN_ISDIR:
            if mask & (IN_MOVED_FROM | IN_DELETE):
                self._forget(path)
            elif mask & (IN_CREATE | IN_MOVED_TO) and not name.startswith("."):
                self.follow_folders(path)  # its files written from now on are seen; earlier ones settle
            return None
        return self._file_event(path, mask, now)

    def _file_event(self, path: Path, mask: int, now: float) -> Path | None:
        if mask & (IN_DELETE | IN_MOVED_FROM):
            self._files.pop(path, None)
            return path
        if mask & (IN_CREATE | IN_MOVED_TO):  # a new file: opened by its creator, or renamed in finished
            self._files[path] = _File(closed=bool(mask & IN_MOVED_TO), last_event=now)
            return path
        seen = self._files.setdefault(path, _File(closed=False, last_event=now))
        if mask & IN_CLOSE_NOWRITE:  # a reader let go; nothing was written
            seen.opens = max(0, seen.opens - 1)
            return None
        seen.last_event = now
        if mask & IN_OPEN:
            seen.opens += 1
        elif mask & IN_MODIFY:
            seen.closed = False
        elif mask & IN_CLOSE_WRITE:
            seen.opens = max(0, seen.opens - 1)  # a handle opened before the watch began: 0
            seen.closed = True
        return path

    def _forget(self, top: Path) -> None:
        """Stop watching ``top`` and the folders under it, and forget their files."""
        for wd, folder in list(self._folders.items()):
            if folder.is_relative_to(top):
                del self._folders[wd]
                self._libc.inotify_rm_watch(self._fd, wd)  # already gone: an error, ignored
        for path in [p for p in self._files if p.is_relative_to(top)]:
            del self._files[path]

    def finished(self, path: Path, now: float | None = None) -> bool:
        """Whether ``path``'s last write ended, nothing holds it open, and it has been quiet for
        ``QUIET_SECONDS``."""
        seen = self._files.get(path)
        return seen is not None and seen.quiet_left(time.monotonic() if now is None else now) == 0.0

    def next_finish_in(self, now: float | None = None) -> float | None:
        """Seconds until the next closed file's quiet second is over, if one is waiting for it."""
        now = time.monotonic() if now is None else now
        waits = [left for seen in self._files.values() if (left := seen.quiet_left(now))]
        return min(waits) if waits else None
