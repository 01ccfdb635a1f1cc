"""One file (or one system pull) through the whole path: read, validate, load, file away.

The order makes every outcome safe to repeat: the raw bytes are first copied (durably) to
the archive or quarantine, then the audit row, problems and figures are written in ONE
transaction, and only after the commit does the file leave the inbox. A crash anywhere
leaves the file in the inbox and nothing visible in the warehouse; the next run finishes it,
and the same bytes are never loaded twice (a unique index on loaded SHA-256 guards it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from ingest import catalog as catalog_module
from ingest import inbox, load, settings
from ingest.load import FileRecord
from ingest.model import ERROR, REJECTED, WARNING, ParseResult, Problem
from ingest.report import summary_vi, write_reports

log = logging.getLogger(__name__)

LOADED_STATUSES = ("loaded", "loaded_with_warnings")


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one file or pull: what `make ingest` prints and the DAG logs."""

    status: str
    office_code: str
    original_name: str
    file_id: int | None = None
    rows_loaded: int = 0
    rows_rejected: int = 0
    errors: int = 0
    warnings: int = 0
    stored_path: str | None = None
    report_path: str | None = None
    message_vi: str = ""
    message_en: str = ""

    @property
    def loaded(self) -> bool:
        return self.status in LOADED_STATUSES


class UnknownOffice(ValueError):
    """The office code is not one of the catalog's submitting offices."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_office(office_code: str) -> catalog_module.Office:
    office = catalog_module.default().offices.get(office_code)
    if office is None or not office.submits:
        raise UnknownOffice(f"{office_code!r} is not a submitting office of the catalog")
    return office


def _connect():
    return psycopg2.connect(**settings.role_dsn("loader"))


def _lock_sha(cur, sha256: str) -> None:
    """Serialise work on the same bytes across processes until the transaction ends."""
    cur.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))", (sha256,))


def _loaded_before(cur, sha256: str) -> tuple[int, str | None, str | None, str] | None:
    cur.execute(
        "select file_id, stored_path, relative_path, office_code from audit.ingest_files"
        " where sha256 = %s and status in ('loaded', 'loaded_with_warnings')",
        (sha256,),
    )
    return cur.fetchone()


def _judged_drop(cur, base: FileRecord) -> tuple[int, str, str | None] | None:
    """This very drop (same bytes, path, office and modification time) already quarantined or
    recorded as a duplicate, by a run that committed while this one waited for the lock."""
    cur.execute(
        "select file_id, status, stored_path from audit.ingest_files"
        " where sha256 = %s and relative_path = %s and office_code = %s and received_at = %s"
        " and status in ('quarantined', 'duplicate')",
        (base.sha256, base.relative_path, base.office_code, base.received_at),
    )
    return cur.fetchone()


def _finish_judged_drop(conn, path: Path, base: FileRecord, judged: tuple[int, str, str | None]) -> IngestOutcome:
    """Only the inbox copy is left to remove: the other run's commit recorded the outcome."""
    file_id, status, stored_path = judged
    conn.commit()
    path.unlink(missing_ok=True)
    return IngestOutcome(
        status=status,
        office_code=base.office_code,
        original_name=base.original_name,
        file_id=file_id,
        stored_path=stored_path,
        message_vi="Tệp này đã được xử lý trước đó.",
        message_en="Already judged by another run; inbox cleaned.",
    )


def _validate(result: ParseResult, office_code: str, source_label: str, conn):
    from ingest.validate import validate_submission  # Great Expectations is heavy: load on use

    return validate_submission(result.rows, office_code, source_label=source_label, history_conn=conn)


def _record_validation(cur, outcome, target_kind: str, target_name: str, file_id: int) -> None:
    from ingest.validate import record_validation

    record_validation(cur, outcome, target_kind=target_kind, target_name=target_name, file_id=file_id)


def _row_key(problem: Problem) -> tuple[str, int] | None:
    if problem.sheet_name is None or problem.source_row is None:
        return None
    return (problem.sheet_name, problem.source_row)


def _messages(status: str, loaded: int, rejected: int, errors: int, warnings: int) -> tuple[str, str]:
    if status == "quarantined":
        return (
            f"Tệp bị trả lại: có {errors} lỗi cần sửa; chưa số liệu nào được nhận. Xem báo cáo lỗi kèm theo.",
            f"Quarantined: {errors} errors, nothing loaded.",
        )
    if status == "duplicate":
        return (
            "Tệp này đã được gửi và nhận trước đây; lần gửi này không được tính thêm.",
            "Duplicate of a loaded file.",
        )
    text_vi = f"Đã nhận {loaded} số liệu."
    if rejected:
        text_vi += f" {rejected} dòng bị loại."
    if warnings:
        text_vi += f" {warnings} cảnh báo cần kiểm tra."
    return text_vi, f"Loaded {loaded} rows, rejected {rejected}, warnings {warnings}."


def _judge(result: ParseResult, validation_problems: Iterable[Problem]) -> tuple[list[Problem], set, dict]:
    problems = [*result.problems, *validation_problems]
    rejected = {key for p in problems if p.severity == REJECTED and (key := _row_key(p)) is not None}
    warnings: dict[tuple[str, int], list[str]] = {}
    for p in problems:
        key = _row_key(p)
        if p.severity == WARNING and key is not None:
            warnings.setdefault(key, []).append(p.rule)
    return problems, rejected, warnings


def _load_decision(result: ParseResult, problems: list[Problem], rejected: set) -> tuple[str, list]:
    rows = [r for r in result.rows if (r.sheet_name, r.source_row) not in rejected]
    if any(p.severity == ERROR for p in problems):
        return "quarantined", []
    if not rows:
        problems.append(
            Problem(
                ERROR,
                "no_rows_loaded",
                "Tệp không có dòng số liệu hợp lệ nào để nhận. Hãy kiểm tra lại nội dung tệp theo mẫu.",
                "No valid data row left to load.",
            )
        )
        return "quarantined", []
    has_notes = len(rows) < len(result.rows) or any(p.severity == WARNING for p in problems)
    return ("loaded_with_warnings" if has_notes else "loaded"), rows


def _decided(
    base: FileRecord, result: ParseResult, status: str, rows: list, problems: list[Problem], **where: str | None
) -> FileRecord:
    """The audit row of a judged file or pull: counts and the plain-language outcome."""
    n_errors = sum(p.severity == ERROR for p in problems)
    n_warnings = sum(p.severity == WARNING for p in problems)
    rejected = len(result.rows) - len(rows)  # a quarantined file loads no row at all
    message_vi, message_en = _messages(status, len(rows), rejected, n_errors, n_warnings)
    return replace(
        base,
        status=status,
        layout=result.layout,
        template_version=result.template_version,
        rows_read=len(result.rows),
        rows_loaded=len(rows),
        rows_rejected=rejected,
        error_count=n_errors,
        warning_count=n_warnings,
        message_vi=message_vi,
        message_en=message_en,
        **where,
    )


def _write(conn, record: FileRecord, problems, rows, warnings, validation, watermark: str | None) -> int:
    with conn.cursor() as cur:
        file_id = load.insert_file(cur, record)
        load.insert_problems(cur, file_id, problems)
        if validation is not None:
            _record_validation(
                cur, validation, "file" if record.source_kind == "file" else "pull", record.original_name, file_id
            )
        load.copy_figures(cur, file_id, record, rows, warnings)
        if watermark is not None and record.status in LOADED_STATUSES:
            load.save_watermark(cur, record.source_name, watermark)
    return file_id


def ingest_file(
    path: Path,
    office_code: str,
    *,
    relative_path: str | None = None,
    received_at: datetime | None = None,
) -> IngestOutcome:
    """Read, validate and load one office file, then move it out of the inbox."""
    office = _check_office(office_code)
    path = Path(path)
    original_name = inbox.safe_name(path.name)
    relative_path = relative_path or original_name
    stat = path.stat()
    received_at = received_at or datetime.fromtimestamp(stat.st_mtime, UTC)
    sha256 = sha256_of(path)
    base = FileRecord(
        source_kind="file",
        source_name=f"inbox/{office_code}",
        office_code=office_code,
        original_name=original_name,
        relative_path=relative_path,
        sha256=sha256,
        size_bytes=stat.st_size,
        received_at=received_at,
        status="processing",
    )

    conn = _connect()
    try:
        with conn:
            with conn.cursor() as cur:
                _lock_sha(cur, sha256)
                judged = _judged_drop(cur, base)
                earlier = _loaded_before(cur, sha256)
            if judged is not None:
                return _finish_judged_drop(conn, path, base, judged)
            if earlier is not None:
                return _handle_repeat(conn, path, base, earlier)

            from ingest.parse import parse_file

            result = parse_file(path, office_code)
            validation = _validate(result, office_code, original_name, conn) if result.rows else None
            problems, rejected, warnings = _judge(result, validation.problems if validation else [])
            status, rows = _load_decision(result, problems, rejected)
            today = datetime.now().date()
            target = (
                inbox.quarantine_path(office_code, original_name, sha256)
                if status == "quarantined"
                else inbox.archive_path(office_code, original_name, sha256, today)
            )
            report = None
            try:
                inbox.copy_durably(path, target)
                if problems:
                    summary = summary_vi(original_name, office.name_vi, status, problems)
                    report = write_reports(target, summary, problems)[0]
            except OSError as exc:
                with contextlib.suppress(OSError):
                    target.unlink(missing_ok=True)
                return _record_failure(conn, base, f"Cannot write to the state folder: {exc}")
            record = _decided(
                base, result, status, rows, problems, stored_path=str(target), report_path=report and str(report)
            )
            try:
                file_id = _write(conn, record, problems, rows, warnings, validation, None)
            except Exception:
                with contextlib.suppress(OSError):
                    target.unlink(missing_ok=True)
                raise
        remove_from_inbox(path)
        log.info("%s/%s: %s (file_id=%s) %s", office_code, relative_path, status, file_id, record.message_en)
        return _outcome(record, file_id)
    finally:
        conn.close()


def remove_from_inbox(path: Path) -> None:
    """The last step, after the commit: if it never happens, the next run only finishes it."""
    path.unlink(missing_ok=True)


def _outcome(record: FileRecord, file_id: int | None) -> IngestOutcome:
    return IngestOutcome(
        status=record.status,
        office_code=record.office_code,
        original_name=record.original_name,
        file_id=file_id,
        rows_loaded=record.rows_loaded,
        rows_rejected=record.rows_rejected,
        errors=record.error_count,
        warnings=record.warning_count,
        stored_path=record.stored_path,
        report_path=record.report_path,
        message_vi=record.message_vi or "",
        message_en=record.message_en or "",
    )


def _handle_repeat(conn, path: Path, base: FileRecord, earlier) -> IngestOutcome:
    """The same bytes were loaded before: finish an interrupted move, or record a duplicate."""
    file_id, stored_path, relative_path, office_code = earlier
    if (
        stored_path
        and Path(stored_path).exists()
        and relative_path == base.relative_path
        and office_code == base.office_code
    ):
        conn.commit()
        path.unlink(missing_ok=True)  # the earlier run committed but died before removing it
        return IngestOutcome(
            status="loaded",
            office_code=office_code,
            original_name=base.original_name,
            file_id=file_id,
            stored_path=stored_path,
            message_vi="Tệp đã được nhận trước đây.",
            message_en="Already loaded; inbox cleaned.",
        )
    target = inbox.archive_path(base.office_code, base.original_name, base.sha256, datetime.now().date())
    target = target.with_name(f"trung-lap-{datetime.now():%H%M%S%f}_{target.name}")
    try:
        inbox.copy_durably(path, target)
    except OSError as exc:
        return _record_failure(conn, base, f"Cannot write to the state folder: {exc}")
    message_vi, message_en = _messages("duplicate", 0, 0, 0, 0)
    record = replace(
        base,
        status="duplicate",
        duplicate_of=file_id,
        stored_path=str(target),
        message_vi=message_vi,
        message_en=message_en,
    )
    with conn.cursor() as cur:
        new_id = load.insert_file(cur, record)
    conn.commit()
    path.unlink(missing_ok=True)
    return _outcome(record, new_id)


def _record_failure(conn, base: FileRecord, message_en: str) -> IngestOutcome:
    """The file could not be filed away: it stays in the inbox and the failure is recorded."""
    log.error("%s: %s", base.original_name, message_en)
    record = replace(
        base,
        status="failed",
        message_vi="Hệ thống chưa xử lý được tệp do lỗi lưu trữ; tệp vẫn nằm trong thư mục và sẽ được xử lý lại.",
        message_en=message_en,
    )
    conn.rollback()
    failure_conn = _connect()  # the caller's transaction may still be open: record on our own
    try:
        with failure_conn, failure_conn.cursor() as cur:
            file_id = load.insert_file(cur, record)
    finally:
        failure_conn.close()
    return _outcome(record, file_id)


def ingest_records(
    result: ParseResult,
    *,
    source_kind: str,
    source_name: str,
    office_code: str,
    original_name: str,
    sha256: str,
    received_at: datetime,
    watermark: str | None = None,
    raw_bytes: bytes | None = None,
) -> IngestOutcome:
    """Load figures pulled from an office's system through the same checks as a file."""
    office = _check_office(office_code)
    base = FileRecord(
        source_kind=source_kind,
        source_name=source_name,
        office_code=office_code,
        original_name=original_name,
        relative_path=None,
        sha256=sha256,
        size_bytes=None if raw_bytes is None else len(raw_bytes),
        received_at=received_at,
        status="processing",
    )
    conn = _connect()
    try:
        with conn:
            with conn.cursor() as cur:
                _lock_sha(cur, sha256)
                earlier = _loaded_before(cur, sha256)
            if earlier is not None:
                message_vi, message_en = _messages("duplicate", 0, 0, 0, 0)
                record = replace(
                    base, status="duplicate", duplicate_of=earlier[0], message_vi=message_vi, message_en=message_en
                )
                with conn.cursor() as cur:
                    return _outcome(record, load.insert_file(cur, record))
            validation = _validate(result, office_code, original_name, conn) if result.rows else None
            problems, rejected, warnings = _judge(result, validation.problems if validation else [])
            if not result.rows and not problems:
                status, rows = "loaded", []  # nothing new since the watermark
            else:
                status, rows = _load_decision(result, problems, rejected)
            stored = None
            if raw_bytes is not None:
                folder = settings.paths().quarantine if status == "quarantined" else settings.paths().archive
                stored = (
                    folder
                    / office_code
                    / datetime.now().date().isoformat()
                    / f"{sha256[:12]}_{inbox.safe_name(original_name)}"
                )
                try:
                    stored.parent.mkdir(parents=True, exist_ok=True)
                    stored.write_bytes(raw_bytes)
                except OSError as exc:
                    return _record_failure(conn, base, f"Cannot write to the state folder: {exc}")
            record = _decided(
                base, result, status, rows, problems, stored_path=stored and str(stored), watermark=watermark
            )
            file_id = _write(conn, record, problems, rows, warnings, validation, watermark)
        log.info(
            "%s: %s (file_id=%s) %s %s",
            source_name,
            status,
            file_id,
            record.message_en,
            json.dumps({"office": office.code}),
        )
        return _outcome(record, file_id)
    finally:
        conn.close()


def process_inbox(office_codes: list[str] | None = None) -> list[IngestOutcome]:
    """Process every ready file of the inboxes (what the inbox DAG does, in one process)."""
    offices = office_codes or [o.code for o in catalog_module.default().offices.values() if o.submits]
    return [
        ingest_file(item.path, item.office_code, relative_path=item.relative_path)
        for item in inbox.scan(settings.paths().inbox, offices)
    ]
