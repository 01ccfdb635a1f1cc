"""The office inboxes: which files are ready, and where they go when done.

A file is ready once it has been still (size and modification time) for a few seconds;
lock and temporary files are ignored. Files are only ever moved, never changed.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest import settings

IGNORED_PATTERNS = ("~$*", "*.tmp", "*.part", ".~lock*", "*.crdownload", "*.swp", "Thumbs.db", "desktop.ini")
REPORT_SUFFIXES = (".bao-cao-loi.xlsx", ".bao-cao-loi.txt")


def settle_seconds() -> float:
    """How long a file must be still before it is picked up (``INBOX_SETTLE_SECONDS``)."""
    return float(os.environ.get("INBOX_SETTLE_SECONDS", "5"))


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


def scan(
    inbox_root: Path, office_codes: list[str], *, now: float | None = None, settle: float | None = None
) -> list[InboxFile]:
    """Files ready to process, oldest first. Symlinks and anything outside the inbox are skipped."""
    now = time.time() if now is None else now
    settle = settle_seconds() if settle is None else settle
    ready: list[InboxFile] = []
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
                    stat = path.stat()
                except FileNotFoundError:  # moved away meanwhile
                    continue
                if now - stat.st_mtime < settle:
                    continue
                relative = path.relative_to(folder).as_posix()
                ready.append(InboxFile(office, path, relative, stat.st_size, stat.st_mtime))
    return sorted(ready, key=lambda f: (f.mtime, f.office_code, f.relative_path))


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(name: str, limit: int = 150) -> str:
    """A file name safe to store anywhere: NFC, no separators, controls or bidi marks, no leading dots."""
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip().lstrip(".")
    if not cleaned:
        cleaned = "tep"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 8:
        return stem[: limit - len(ext) - 1] + "." + ext
    return cleaned[:limit]


def archive_path(office_code: str, name: str, sha256: str, day: date) -> Path:
    return settings.paths().archive / office_code / day.isoformat() / f"{sha256[:12]}_{safe_name(name)}"


def quarantine_path(office_code: str, name: str, sha256: str) -> Path:
    return settings.paths().quarantine / office_code / f"{sha256[:12]}_{safe_name(name)}"


def copy_durably(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and fsync it, so the copy survives a crash before the commit."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    shutil.copyfile(source, partial)
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
