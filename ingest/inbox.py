"""The office inboxes: which files are ready, and where they go when done.

A file is ready once its modification time is a few seconds old and its size and time stay
put for a moment more, or at once when the inbox watcher saw its writer finish
(``ingest.write_watch``); lock and temporary files are ignored. A ready file is copied once into
a private staging folder (hashed on the way): those bytes are parsed and archived, and the inbox
entry is removed only if it is still that very file. Files are never changed.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core import settings

IGNORED_PATTERNS = ("~$*", "*.tmp", "*.part", ".~lock*", "*.crdownload", "*.swp", "Thumbs.db", "desktop.ini")
REPORT_SUFFIXES = (".bao-cao-loi.xlsx", ".bao-cao-loi.txt")


def settle_seconds() -> float:
    """How long a file must be still before it is picked up (``INBOX_SETTLE_SECONDS``)."""
    return settings.inbox_settle_seconds()


def office_codes() -> list[str]:
    """The offices with an inbox folder: every office that submits figures, and the home-affairs
    office, whose folder takes the emulation movement's files (``ingest.emulation.FOLDER``)."""
    from core import catalog  # reads the catalogue's seeds: not at import time

    return [o.code for o in catalog.default().offices.values() if o.submits or o.code == "noivu"]


def make_office_folders(inbox_root: Path, codes: list[str]) -> None:
    """Create each office's inbox folder that is missing: staff drop into a folder that is
    there, and the watcher sees a file's writer finish only in a folder it watched already."""
    for code in codes:
        (inbox_root / code).mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class InboxFile:
    office_code: str
    path: Path
    relative_path: str  # inside the office's folder, with '/' separators
    size: int
    mtime: float


def is_ignored(name: str) -> bool:
    return name.startswith(".") or any(fnmatch.fnmatch(name, pattern) for pattern in IGNORED_PATTERNS)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


# Whether someone who watched a file vouches that it is complete: given its path, size and
# modification time (the watcher's inotify view, or the watcher's announcement to the DAG).
Vouch = Callable[[Path, int, float], bool]


def nobody(path: Path, size: int, mtime: float) -> bool:
    """Vouch for no file: the settle rule alone."""
    return False


def scan(
    inbox_root: Path,
    office_codes: list[str],
    *,
    now: float | None = None,
    settle: float | None = None,
    vouched: Vouch = nobody,
) -> list[InboxFile]:
    """Files ready to process, oldest first. Symlinks and anything outside the inbox are skipped.

    A file is ready when ``vouched`` says it is complete, or else by the settle rule: its
    modification time is ``settle`` seconds old and it stays still a moment more."""
    now = time.time() if now is None else now
    settle = settle_seconds() if settle is None else settle
    ready: list[InboxFile] = []
    settled: list[InboxFile] = []
    for office in office_codes:
        folder = inbox_root / office
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                path = Path(dirpath) / name
                if is_ignored(name) or path.is_symlink() or not _inside(path, folder):
                    continue
                try:
                    info = path.stat()
                except FileNotFoundError:  # moved away meanwhile
                    continue
                found = InboxFile(office, path, path.relative_to(folder).as_posix(), info.st_size, info.st_mtime)
                if vouched(path, found.size, found.mtime):
                    ready.append(found)
                elif now - info.st_mtime >= settle:
                    settled.append(found)
    ready.extend(_still(settled, min(settle, 1.0)))
    return sorted(ready, key=lambda f: (f.mtime, f.office_code, f.relative_path))


def _still(files: list[InboxFile], pause: float) -> list[InboxFile]:
    """The files whose size and modification time did not move during ``pause`` seconds: a copy
    that keeps an old modification time while its bytes still arrive is not ready yet."""
    if not files or pause <= 0:
        return files
    time.sleep(pause)
    still = []
    for item in files:
        with contextlib.suppress(OSError):
            info = os.lstat(item.path)
            if (info.st_size, info.st_mtime) == (item.size, item.mtime):
                still.append(item)
    return still


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NAME_BYTES = 150  # of a stored name's UTF-8; prefixes and report suffixes keep it under 255 bytes


def _cut(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 fits in ``limit`` bytes (never half a character)."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_name(name: str, limit: int = NAME_BYTES) -> str:
    """A file name safe to store anywhere: NFC, no separators, controls or bidi marks, no leading
    dots, at most ``limit`` bytes of UTF-8 (a file system counts bytes, and Vietnamese letters
    take two or three)."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip().lstrip(".")
    if not cleaned:
        cleaned = "tep"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and stem and len(ext.encode("utf-8")) <= 8:
        return unicodedata.normalize("NFC", _cut(stem, limit - len(ext.encode("utf-8")) - 1)) + "." + ext
    return unicodedata.normalize("NFC", _cut(cleaned, limit)) or "tep"


def drop_tag(office_code: str, relative_path: str, received_at: datetime) -> str:
    """A short stamp of one drop (where and when it arrived): the same drop always gets the same
    stored name, so a retry overwrites its own copy, and two drops of one name never collide."""
    key = f"{office_code}|{relative_path}|{received_at.isoformat()}".encode()
    return hashlib.sha256(key).hexdigest()[:8]


def archive_path(office_code: str, name: str, sha256: str, day: date, drop: str | None = None) -> Path:
    prefix = f"{sha256[:12]}-{drop}" if drop else sha256[:12]
    return settings.paths().archive / office_code / day.isoformat() / f"{prefix}_{safe_name(name)}"


def quarantine_path(office_code: str, name: str, sha256: str, drop: str | None = None) -> Path:
    prefix = f"{sha256[:12]}-{drop}" if drop else sha256[:12]
    return settings.paths().quarantine / office_code / f"{prefix}_{safe_name(name)}"


def copy_durably(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and fsync it, so the copy survives a crash before the commit."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)


# --- taking a file in: one read, the same bytes everywhere -------------------------------


class NotARegularFile(OSError):
    """The inbox entry is a symlink, a named pipe, a device, a socket or a folder: never read."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path}: {kind}, not a regular file")
        self.kind = kind


class StillChanging(OSError):
    """The file changed while it was being copied in (still being written): try again later."""


@dataclass(frozen=True)
class Staged:
    """A private copy of an inbox file: the bytes that are hashed, parsed and archived."""

    source: Path
    copy: Path
    sha256: str
    size: int
    mtime: float
    identity: tuple[int, int, int, int]  # device, inode, size, mtime_ns of the inbox entry

    def discard(self) -> None:
        shutil.rmtree(self.copy.parent, ignore_errors=True)


def _kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISFIFO, "named pipe"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISDIR, "folder"),
    ):
        if test(mode):
            return kind
    return "special file"


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


STALE_STAGING_SECONDS = 3600  # far beyond any reading's time limit: left by a killed run


def staging_folder() -> Path:
    """Private copies being read; what a killed run left behind is swept on the next stage."""
    folder = settings.paths().home / "staging"
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if time.time() - entry.lstat().st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
    return folder


def stage(path: Path) -> Staged:
    """Copy ``path`` into the private staging folder while hashing it, in one read.

    Only a regular file is opened (a symlink, pipe or device is refused without opening it,
    and ``O_NOFOLLOW`` refuses a symlink swapped in meanwhile). A file whose size or
    modification time changes during the copy is still being written: ``StillChanging``.
    """
    path = Path(path)
    first = os.lstat(path)
    if not stat.S_ISREG(first.st_mode):
        raise NotARegularFile(path, _kind(first.st_mode))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotARegularFile(path, "symlink") from exc
        raise
    folder = staging_folder()
    folder.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(dir=folder, prefix="drop-"))
    copy = private / path.name  # the same name: a csv's sheet is named after its file
    try:
        out_fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except BaseException:
        os.close(fd)
        shutil.rmtree(private, ignore_errors=True)
        raise
    try:
        with os.fdopen(fd, "rb") as source, os.fdopen(out_fd, "wb") as target:
            before = os.fstat(source.fileno())
            if not stat.S_ISREG(before.st_mode) or (before.st_dev, before.st_ino) != (first.st_dev, first.st_ino):
                raise NotARegularFile(path, _kind(before.st_mode) if not stat.S_ISREG(before.st_mode) else "swapped")
            digest = hashlib.sha256()
            size = 0
            while block := source.read(1 << 20):
                digest.update(block)
                target.write(block)
                size += len(block)
            after = os.fstat(source.fileno())
        if _identity(after) != _identity(before) or size != after.st_size:
            raise StillChanging(f"{path} changed while it was read ({before.st_size} -> {after.st_size} bytes)")
    except BaseException:
        shutil.rmtree(private, ignore_errors=True)
        raise
    return Staged(path, copy, digest.hexdigest(), size, after.st_mtime, _identity(after))


def inside_inbox(path: Path) -> bool:
    """True when ``path`` lies in the inbox tree (the folder resolved, the entry itself not followed)."""
    try:
        folder = Path(os.path.realpath(Path(path).parent))
        (folder / Path(path).name).relative_to(Path(os.path.realpath(settings.paths().inbox)))
    except (ValueError, OSError):
        return False
    return True


def unchanged(staged: Staged) -> bool:
    """True when the inbox entry is still exactly the file that was staged (same inode, size, time)."""
    try:
        current = os.lstat(staged.source)
    except FileNotFoundError:
        return False
    return stat.S_ISREG(current.st_mode) and _identity(current) == staged.identity


# --- files that keep failing -------------------------------------------------------------

MAX_ATTEMPTS = 3


def _attempts_file(office_code: str, relative_path: str, identity: tuple[int, int, int, int]) -> Path:
    key = f"{office_code}|{relative_path}|{identity[2]}|{identity[3]}".encode()
    return settings.paths().home / "attempts" / hashlib.sha256(key).hexdigest()[:32]


def attempts(office_code: str, relative_path: str, identity: tuple[int, int, int, int]) -> int:
    """How many times this drop was started without an outcome being recorded (killed or failed)."""
    try:
        return int(_attempts_file(office_code, relative_path, identity).read_text(encoding="ascii") or 0)
    except (OSError, ValueError):
        return 0


def count_attempt(office_code: str, relative_path: str, identity: tuple[int, int, int, int]) -> int:
    """Note one more attempt before the risky work starts; returns the new count (best effort)."""
    marker = _attempts_file(office_code, relative_path, identity)
    count = attempts(office_code, relative_path, identity) + 1
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        partial = marker.with_name(marker.name + ".part")
        partial.write_text(str(count), encoding="ascii")
        os.replace(partial, marker)
    except OSError:
        pass
    return count


def clear_attempts(office_code: str, relative_path: str, identity: tuple[int, int, int, int]) -> None:
    with contextlib.suppress(OSError):
        _attempts_file(office_code, relative_path, identity).unlink(missing_ok=True)
