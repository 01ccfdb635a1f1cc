"""Safety checks done BEFORE a file is opened by a spreadsheet reader.

A file from an inbox is untrusted: it may be huge, a zip bomb dressed as `.xlsx`, an
encrypted workbook, or not what its extension says. Each case becomes a clear error.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import olefile

from core import settings
from ingest.model import ERROR, FORMATS, TEXT_FORMATS, ZIP_FORMATS, Problem

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # all parts of an xlsx/ods together
MAX_RATIO = 100  # uncompressed / compressed, for any part over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_ZIP_ENTRIES = 5000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_SUPPORTED_VI = "xlsx, xlsm, xls, ods, csv hoặc tsv"


@dataclass
class FileCheck:
    """The format a file will be read as, or the problems that stop it being read."""

    fmt: str | None
    problems: list[Problem] = field(default_factory=list)


def _error(rule: str, vi: str, en: str, value: str | None = None, expected: str | None = None) -> Problem:
    return Problem(ERROR, rule, vi, en, value_found=value, expected=expected)


def encrypted_problem() -> Problem:
    return _error(
        "file_encrypted",
        "Tệp được đặt mật khẩu (mã hóa) nên hệ thống không đọc được. Hãy mở tệp bằng Excel, "
        "bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu, xóa mật khẩu), "
        "lưu lại rồi gửi lại tệp.",
        "File is password-protected/encrypted (OLE EncryptionInfo or FILEPASS); refusing to read.",
    )


def corrupt_problem(detail: str) -> Problem:
    return _error(
        "file_corrupt",
        "Tệp bị hỏng hoặc không đúng định dạng nên không mở được. Hãy mở tệp bằng Excel hoặc "
        f"LibreOffice, lưu lại dưới dạng {_SUPPORTED_VI} rồi gửi lại.",
        f"Corrupt or unreadable file: {detail}",
        value=detail[:200],
    )


def read_limit_problem(reason: str, detail: str, seconds: float, memory_mb: int) -> Problem:
    """The reading child died, was killed or ran out of time (see ``ingest.sandbox``)."""
    if reason == "timeout":
        what = (
            f"Hệ thống đã đọc tệp quá {seconds:g} giây mà chưa xong nên phải dừng lại. Tệp có thể bị hỏng, "
            "quá lớn, hoặc có ô chứa quá nhiều chữ."
        )
    else:
        what = (
            "Tệp bị hỏng hoặc quá lớn nên hệ thống không đọc được (việc đọc tệp bị dừng giữa chừng, "
            f"có thể vì cần quá {memory_mb} MB bộ nhớ)."
        )
    return _error(
        "file_unreadable",
        f"{what} Hãy mở tệp bằng Excel, xóa các ô, dòng, cột thừa nằm ngoài bảng số liệu (kể cả ô bị gõ nhầm "
        "ở rất xa bảng), rút ngắn các ô có quá nhiều chữ, rồi lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” "
        "và gửi lại. Nếu bảng số liệu thật sự rất lớn, hãy chia thành nhiều tệp nhỏ hơn.",
        f"Reading stopped ({reason}): {detail}; limits {seconds:g} s, {memory_mb} MB",
        value=detail[:200],
        expected=f"<= {seconds:g} s, <= {memory_mb} MB",
    )


def _zip_checks(path: Path) -> list[Problem]:
    """Refuse zip bombs by the declared sizes, then verify the sizes by decompressing."""
    bomb = _error(
        "zip_bomb",
        "Tệp có cấu trúc nén bất thường (dung lượng sau giải nén quá lớn) nên hệ thống từ chối đọc "
        "để bảo đảm an toàn. Hãy mở tệp bằng Excel, sao chép riêng bảng số liệu sang một tệp mới, "
        "lưu lại rồi gửi lại.",
        "Zip bomb guard: uncompressed size or compression ratio over the limits.",
        expected=f"<= {MAX_UNCOMPRESSED_BYTES} bytes uncompressed, ratio <= {MAX_RATIO}",
    )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return [bomb]
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED_BYTES:
                return [bomb]
            for info in infos:
                if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    return [bomb]
            if any(i.flag_bits & 0x1 for i in infos):
                return [encrypted_problem()]
            real = 0
            for info in infos:  # headers can lie: count what really comes out (CRC is checked too)
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        real += len(chunk)
                        if real > MAX_UNCOMPRESSED_BYTES:
                            return [bomb]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        return [corrupt_problem(f"zip: {exc}")]
    return []


def _ole_kind(path: Path) -> str:
    """`encrypted` (an OOXML file wrapped in OLE encryption), `xls`, or `other`."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xls"
    except (OSError, ValueError, IndexError, TypeError, KeyError) as exc:
        raise ValueError(str(exc)) from exc
    return "other"


def check(path: Path) -> FileCheck:
    """Decide the format of `path` and refuse it if unsafe; never raises on bad input."""
    ext = path.suffix.lower().lstrip(".")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return FileCheck(None, [corrupt_problem(f"cannot stat: {exc}")])
    if ext not in FORMATS:
        return FileCheck(
            None,
            [
                _error(
                    "unsupported_format",
                    f"Định dạng tệp “.{ext}” không được hỗ trợ. Hãy lưu tệp dưới dạng {_SUPPORTED_VI} rồi gửi lại.",
                    f"Unsupported file extension .{ext}",
                    value=path.name,
                    expected=_SUPPORTED_VI,
                )
            ],
        )
    limit = settings.ingest_max_file_bytes()
    if size > limit:
        return FileCheck(
            None,
            [
                _error(
                    "file_too_large",
                    f"Tệp quá lớn ({size / 1048576:.1f} MB), vượt giới hạn {limit / 1048576:.1f} MB. "
                    "Hãy xóa các trang tính, hình ảnh không cần thiết hoặc chia số liệu thành nhiều tệp rồi gửi lại.",
                    f"File is {size} bytes, over INGEST_MAX_FILE_BYTES={limit}",
                    value=str(size),
                    expected=f"<= {limit}",
                )
            ],
        )
    if size == 0:
        return FileCheck(
            None,
            [
                _error(
                    "file_empty",
                    "Tệp rỗng (0 byte), không có số liệu. Hãy kiểm tra lại tệp rồi gửi lại.",
                    "Empty file (0 bytes)",
                )
            ],
        )
    with open(path, "rb") as handle:
        head = handle.read(8)
    if ext in TEXT_FORMATS:
        if head.startswith((_OLE_MAGIC, _ZIP_MAGIC)):
            ext = "xls" if head.startswith(_OLE_MAGIC) else "xlsx"  # a workbook renamed to .csv
        else:
            return FileCheck(ext)
    if head.startswith(_OLE_MAGIC):
        try:
            kind = _ole_kind(path)
        except ValueError as exc:
            return FileCheck(None, [corrupt_problem(f"ole: {exc}")])
        if kind == "encrypted":
            return FileCheck(None, [encrypted_problem()])
        if kind == "xls":
            return FileCheck("xls")
        return FileCheck(None, [corrupt_problem("OLE file without a workbook stream")])
    if head.startswith(_ZIP_MAGIC):
        problems = _zip_checks(path)
        if problems:
            return FileCheck(None, problems)
        return FileCheck(ext if ext in ZIP_FORMATS else "xlsx")
    return FileCheck(None, [corrupt_problem(f"unexpected leading bytes {head[:8]!r} for .{ext}")])
