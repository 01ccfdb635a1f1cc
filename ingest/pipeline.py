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
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2

from core import catalog as catalog_module
from core import settings
from ingest import inbox, load
from ingest.emulation import FOLDER as EMULATION_FOLDER
from ingest.judgement import EarlierLoad, Judgement, RecordKind
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


def replaced_since(load: str, until: str) -> str:
    """SQL condition: some figure of the load aliased ``load`` was replaced, by ``until``, by a
    later submission of other bytes (the same key submitted later). Shared by the duplicate
    check here and the double-load check of ``make reconcile``, so both judge alike."""
    return f"""exists (
        select 1
        from raw.submitted_figures as mine
        inner join raw.submitted_figures as later
            on
                mine.indicator_code = later.indicator_code
                and mine.admin_unit_code = later.admin_unit_code
                and mine.period_code = later.period_code
                and mine.value_type = later.value_type
                and later.received_at > mine.received_at
                and later.received_at <= {until}
        inner join audit.ingest_files as other on later.file_id = other.file_id
        where mine.file_id = {load}.file_id and other.sha256 != {load}.sha256
    )"""  # noqa: S608 - aliases and bounds are fixed in code, never input


# A load of these bytes whose figures are all still the current version: no figure of the
# same key was submitted later by other bytes. Sending earlier bytes again to undo a change
# is therefore a new submission, while the same bytes twice in a row are a duplicate.
_STILL_CURRENT_LOAD = f"""
select earlier.file_id, earlier.stored_path, earlier.relative_path, earlier.office_code, earlier.received_at
from audit.ingest_files as earlier
where
    earlier.sha256 = %s
    and earlier.status in ('loaded', 'loaded_with_warnings')
    and not {replaced_since("earlier", "'infinity'::timestamptz")}
order by earlier.received_at desc, earlier.file_id desc
limit 1
"""  # noqa: S608 - built from fixed aliases in code, never input


class FigureRecords:
    """The offices' figures as a kind of record of the load path (``ingest.judgement``)."""

    layout: str | None = None  # the reader names the layout it found

    def loaded_before(self, cur, sha256: str, office_code: str) -> EarlierLoad | None:
        """The earlier load these bytes would only repeat, if their figures are still current."""
        cur.execute(_STILL_CURRENT_LOAD, (sha256,))
        return cur.fetchone()

    def judge_file(self, conn, path: Path, office_code: str, label: str) -> Judgement:
        from ingest.parse import parse_file

        return judge_figures(conn, parse_file(path, office_code), office_code, label)

    def messages(self, status: str, loaded: int, rejected: int, errors: int, warnings: int) -> tuple[str, str]:
        return _messages(status, loaded, rejected, errors, warnings)

    def write_rows(self, cur, file_id: int, record: FileRecord, judgement: Judgement) -> None:
        """COPY the figures, each with the rules of the warnings on its row."""
        warnings: dict[tuple[str, int], list[str]] = {}
        for p in judgement.problems:
            key = _row_key(p)
            if p.severity == WARNING and key is not None:
                warnings.setdefault(key, []).append(p.rule)
        load.copy_figures(cur, file_id, record, judgement.rows, warnings)


FIGURES = FigureRecords()


def _judged_drop(cur, base: FileRecord) -> tuple[int, str, str | None] | None:
    """This very drop (same bytes, path, office and modification time) already quarantined,
    recorded as a duplicate or given up on, by a run that committed while this one waited for
    the lock."""
    cur.execute(
        "select file_id, status, stored_path from audit.ingest_files"
        " where sha256 = %s and relative_path = %s and office_code = %s and received_at = %s"
        " and (status in ('quarantined', 'duplicate') or (status = 'failed' and stored_path is not null))",
        (base.sha256, base.relative_path, base.office_code, base.received_at),
    )
    return cur.fetchone()


def _finish_judged_drop(
    conn, staged: inbox.Staged, base: FileRecord, judged: tuple[int, str, str | None]
) -> IngestOutcome:
    """Only the inbox copy is left to remove: the other run's commit recorded the outcome."""
    file_id, status, stored_path = judged
    conn.commit()
    _done(staged, base.office_code, base.relative_path or base.original_name)
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


def judge_figures(
    conn, result: ParseResult, office_code: str, label: str, *, nothing_new_ok: bool = False
) -> Judgement:
    """Validate parsed figures with the office's suite and decide what loads.

    ``nothing_new_ok``: an empty pull (nothing changed since the watermark) loads as an
    empty success, not a quarantine."""
    validation = _validate(result, office_code, label, conn) if result.rows else None
    problems = [*result.problems, *(validation.problems if validation else [])]
    rejected = {key for p in problems if p.severity == REJECTED and (key := _row_key(p)) is not None}
    if nothing_new_ok and not result.rows and not problems:
        status, rows = "loaded", []
    else:
        status, rows = _load_decision(result, problems, rejected)
    return Judgement(
        status=status,
        rows=rows,
        rows_read=len(result.rows),
        problems=problems,
        validations=[validation] if validation else [],
        layout=result.layout,
        template_version=result.template_version,
    )


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


def _decided(base: FileRecord, judgement: Judgement, kind: RecordKind, **where: str | None) -> FileRecord:
    """The audit row of a judged file or pull: counts and the plain-language outcome."""
    problems, rows = judgement.problems, judgement.rows
    n_errors = sum(p.severity == ERROR for p in problems)
    n_warnings = sum(p.severity == WARNING for p in problems)
    rejected = judgement.rows_read - len(rows)  # a quarantined file loads no row at all
    message_vi, message_en = kind.messages(judgement.status, len(rows), rejected, n_errors, n_warnings)
    return replace(
        base,
        status=judgement.status,
        layout=judgement.layout or base.layout,
        template_version=judgement.template_version,
        rows_read=judgement.rows_read,
        rows_loaded=len(rows),
        rows_rejected=rejected,
        error_count=n_errors,
        warning_count=n_warnings,
        message_vi=message_vi,
        message_en=message_en,
        **where,
    )


def _write(
    conn, record: FileRecord, judgement: Judgement, kind: RecordKind | None, watermark: str | None = None
) -> int:
    """Audit row, problems, validation runs and the rows (``kind`` None: none to write)."""
    with conn.cursor() as cur:
        file_id = load.insert_file(cur, record)
        load.insert_problems(cur, file_id, judgement.problems)
        target_kind = "file" if record.source_kind == "file" else "pull"
        for validation in judgement.validations:
            _record_validation(cur, validation, target_kind, record.original_name, file_id)
        if kind is not None:
            kind.write_rows(cur, file_id, record, judgement)
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
    """Read, validate and load one office file, then move it out of the inbox.

    The file is copied once into a private staging folder (hashed on the way): those bytes
    are parsed and archived. The inbox entry is removed only when it lies in the inbox (``make
    ingest FILE=`` never deletes an engineer's own file) and is still the very file that was
    read. A symlink, named pipe or device is never opened: it is quarantined with a report.
    """
    office, kind = _office_and_kind(office_code)
    path = Path(path)
    original_name = inbox.safe_name(path.name)
    relative_path = relative_path or original_name
    try:
        staged = inbox.stage(path)
    except inbox.NotARegularFile as exc:
        return _refuse_special(path, office, original_name, relative_path, exc.kind)
    except inbox.StillChanging as exc:
        log.info("%s/%s: still being written, left for the next run (%s)", office_code, relative_path, exc)
        return IngestOutcome(
            status="not_ready",
            office_code=office_code,
            original_name=original_name,
            message_vi="Tệp đang được chép vào thư mục; hệ thống sẽ đọc ở lượt sau.",
            message_en="Still being written; left in the inbox for the next run.",
        )
    try:
        return _ingest_staged(staged, office, kind, original_name, relative_path, received_at)
    finally:
        staged.discard()


def _office_and_kind(office_code: str) -> tuple[catalog_module.Office, RecordKind]:
    """The office a folder belongs to and the kind of record it sends."""
    if office_code == EMULATION_FOLDER:  # Phòng Nội vụ's emulation records: own reader, suites and tables
        from ingest.emulation.load import RECORDS

        return catalog_module.default().offices[office_code], RECORDS
    return _check_office(office_code), FIGURES


def _ingest_staged(
    staged: inbox.Staged,
    office: catalog_module.Office,
    kind: RecordKind,
    original_name: str,
    relative_path: str,
    received_at: datetime | None,
) -> IngestOutcome:
    office_code = office.code
    received_at = received_at or datetime.fromtimestamp(staged.mtime, UTC)
    base = FileRecord(
        source_kind="file",
        source_name=f"inbox/{office_code}",
        office_code=office_code,
        original_name=original_name,
        relative_path=relative_path,
        sha256=staged.sha256,
        size_bytes=staged.size,
        received_at=received_at,
        status="processing",
        layout=kind.layout,
    )
    submission = _Submission(
        base=base,
        office=office,
        kind=kind,
        staged=staged,
        drop=inbox.drop_tag(office_code, relative_path, received_at),
    )
    return _load(submission, lambda conn: kind.judge_file(conn, staged.copy, office_code, original_name))


@dataclass(frozen=True)
class _Submission:
    """One thing to load, whichever way it came: its audit row and where its bytes are.

    A file drop has ``staged`` bytes (archived, and the inbox entry removed after the
    commit); a system pull has its envelope in ``raw_bytes`` and may move a watermark.
    """

    base: FileRecord
    office: catalog_module.Office
    kind: RecordKind = FIGURES
    staged: inbox.Staged | None = None
    raw_bytes: bytes | None = None
    drop: str | None = None
    watermark: str | None = None

    @property
    def label(self) -> str:
        """How the log names it: office/path for a file, the source for a pull."""
        if self.staged is None:
            return self.base.source_name
        return f"{self.base.office_code}/{self.base.relative_path or self.base.original_name}"

    def keep(self, target: Path) -> None:
        """Put the bytes at ``target`` durably (fsync'd) before the transaction commits."""
        if self.staged is not None:
            inbox.copy_durably(self.staged.copy, target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with open(partial, "wb") as handle:
            handle.write(self.raw_bytes or b"")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)


def _load(submission: _Submission, judge: Callable[[Any], Judgement]) -> IngestOutcome:
    """The one load transaction of files and pulls, of every kind: judge, keep the bytes,
    write, commit.

    Work on the same bytes is serialised by an advisory lock; a drop another run judged
    while this one waited is only cleaned up; bytes whose rows are still current are a
    duplicate; a drop started too often is given up on. ``judge`` reads and validates
    (inside the transaction, which it may read from).
    """
    base, office, staged, kind = submission.base, submission.office, submission.staged, submission.kind
    conn = _connect()
    try:
        with conn:
            with conn.cursor() as cur:
                _lock_sha(cur, base.sha256)
                judged = _judged_drop(cur, base) if staged is not None else None
                earlier = kind.loaded_before(cur, base.sha256, office.code)
            if judged is not None and staged is not None:
                return _finish_judged_drop(conn, staged, base, judged)
            if earlier is not None:
                return _handle_repeat(conn, submission, earlier)
            if staged is not None:
                where = base.relative_path or base.original_name
                tries = inbox.attempts(office.code, where, staged.identity)
                if tries >= inbox.MAX_ATTEMPTS:
                    return _give_up(conn, staged, base, office, submission.drop or "", tries)
                inbox.count_attempt(office.code, where, staged.identity)

            judgement = judge(conn)
            status, problems = judgement.status, judgement.problems
            target = report = None
            if staged is not None or submission.raw_bytes is not None:
                target = (
                    inbox.quarantine_path(office.code, base.original_name, base.sha256, submission.drop)
                    if status == "quarantined"
                    else inbox.archive_path(
                        office.code, base.original_name, base.sha256, datetime.now().date(), submission.drop
                    )
                )
                try:
                    submission.keep(target)
                    if problems:
                        summary = summary_vi(base.original_name, office.name_vi, status, problems)
                        report = write_reports(target, summary, problems)[0]
                except OSError as exc:
                    with contextlib.suppress(OSError):
                        target.unlink(missing_ok=True)
                    return _record_failure(conn, base, f"Cannot write to the state folder: {exc}", staged)
            record = _decided(
                base,
                judgement,
                kind,
                stored_path=target and str(target),
                report_path=report and str(report),
                watermark=submission.watermark,
            )
            try:
                file_id = _write(conn, record, judgement, kind, submission.watermark)
            except Exception:
                if target is not None:
                    with contextlib.suppress(OSError):
                        target.unlink(missing_ok=True)
                raise
        if staged is not None:
            _done(staged, office.code, base.relative_path or base.original_name)
        log.info("%s: %s (file_id=%s) %s", submission.label, status, file_id, record.message_en)
        return _outcome(record, file_id)
    finally:
        conn.close()


def _done(staged: inbox.Staged, office_code: str, relative_path: str) -> None:
    """After the commit: forget the attempts, then take the file out of the inbox."""
    inbox.clear_attempts(office_code, relative_path, staged.identity)
    remove_from_inbox(staged)


def remove_from_inbox(staged: inbox.Staged) -> None:
    """The last step, after the commit: if it never happens, the next run only finishes it.

    Only an entry inside the inbox that is still the file that was read is removed: a newer
    version dropped meanwhile stays for the next run, and a file given to ``make ingest
    FILE=`` from elsewhere is never deleted.
    """
    if inbox.inside_inbox(staged.source) and inbox.unchanged(staged):
        staged.source.unlink(missing_ok=True)
    elif staged.source.exists():
        log.info("%s left in place (outside the inbox, or changed since it was read)", staged.source)


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


def _handle_repeat(conn, submission: _Submission, earlier) -> IngestOutcome:
    """The same bytes were loaded before: finish an interrupted move, or record a duplicate.

    A pull's bytes name its pull time, so they repeat only if the very pull is recorded
    again: it is recorded as a duplicate without another copy of the envelope."""
    base, staged = submission.base, submission.staged
    file_id, stored_path, relative_path, office_code, received_at = earlier
    message_vi, message_en = submission.kind.messages("duplicate", 0, 0, 0, 0)
    if staged is None:
        record = replace(base, status="duplicate", duplicate_of=file_id, message_vi=message_vi, message_en=message_en)
        with conn.cursor() as cur:
            new_id = load.insert_file(cur, record)
        conn.commit()
        return _outcome(record, new_id)
    where = base.relative_path or base.original_name
    if (
        stored_path
        and Path(stored_path).exists()
        and relative_path == base.relative_path
        and office_code == base.office_code
        and received_at == base.received_at  # the very drop (dropped again, it is a duplicate)
    ):
        conn.commit()
        _done(staged, base.office_code, where)  # the earlier run committed but died before removing it
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
        inbox.copy_durably(staged.copy, target)
    except OSError as exc:
        return _record_failure(conn, base, f"Cannot write to the state folder: {exc}", staged)
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
    _done(staged, base.office_code, where)
    return _outcome(record, new_id)


def _give_up(
    conn, staged: inbox.Staged, base: FileRecord, office: catalog_module.Office, drop: str, tries: int
) -> IngestOutcome:
    """The drop was started ``tries`` times and never finished (the task failed or was killed):
    quarantine it as ``failed`` with a report instead of trying for ever."""
    problem = Problem(
        ERROR,
        "file_failed_repeatedly",
        f"Hệ thống đã thử đọc tệp này {tries} lần nhưng lần nào cũng bị dừng giữa chừng (tệp có thể bị hỏng "
        "hoặc quá lớn). Tệp đã được trả lại và cán bộ kỹ thuật đã được báo để kiểm tra. Hãy mở tệp bằng Excel, "
        "xóa các dòng, cột thừa ngoài bảng số liệu, lưu lại dưới dạng “Sổ làm việc Excel (.xlsx)” rồi gửi lại; "
        "nếu tệp rất lớn, hãy chia thành nhiều tệp nhỏ hơn.",
        f"Started {tries} times without an outcome (task failed or killed); given up",
        value_found=str(tries),
        expected=f"< {inbox.MAX_ATTEMPTS} attempts",
    )
    target = inbox.quarantine_path(base.office_code, base.original_name, base.sha256, drop)
    try:
        inbox.copy_durably(staged.copy, target)
        summary = summary_vi(base.original_name, office.name_vi, "failed", [problem])
        report = write_reports(target, summary, [problem])[0]
    except OSError as exc:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        return _record_failure(conn, base, f"Cannot write to the state folder: {exc}", staged)
    record = replace(
        base,
        status="failed",
        error_count=1,
        stored_path=str(target),
        report_path=str(report),
        message_vi=f"Tệp bị trả lại: hệ thống đã thử đọc {tries} lần mà không xong. Xem báo cáo lỗi kèm theo.",
        message_en=f"Given up after {tries} unfinished attempts; quarantined.",
    )
    file_id = _write(conn, record, Judgement("failed", [], 0, [problem]), None)
    conn.commit()
    _done(staged, base.office_code, base.relative_path or base.original_name)
    log.error("%s/%s: %s", base.office_code, base.relative_path, record.message_en)
    return _outcome(record, file_id)


_SPECIAL_VI = {
    "symlink": "một lối tắt (liên kết tới tệp khác)",
    "named pipe": "một đường ống dữ liệu (named pipe)",
    "character device": "một thiết bị",
    "block device": "một thiết bị",
    "socket": "một cổng kết nối",
    "folder": "một thư mục",
}


def _refuse_special(
    path: Path, office: catalog_module.Office, original_name: str, relative_path: str, kind: str
) -> IngestOutcome:
    """A symlink, named pipe or device in the inbox: never opened; quarantined with a report
    (the stored copy is empty: there are no bytes to keep) and the entry removed."""
    try:
        entry = os.lstat(path)
    except FileNotFoundError:
        return IngestOutcome(status="gone", office_code=office.code, original_name=original_name)
    received_at = datetime.fromtimestamp(entry.st_mtime, UTC)
    drop = inbox.drop_tag(office.code, relative_path, received_at)
    problem = Problem(
        ERROR,
        "not_a_regular_file",
        f"“{original_name}” không phải là một tệp số liệu thông thường mà là "
        f"{_SPECIAL_VI.get(kind, 'một mục đặc biệt')}, nên hệ thống không đọc. Hãy chép chính tệp Excel "
        "hoặc CSV (không phải lối tắt) vào thư mục của đơn vị rồi gửi lại.",
        f"Inbox entry is a {kind}, not a regular file; never opened",
        value_found=kind,
        expected="a regular file",
    )
    base = FileRecord(
        source_kind="file",
        source_name=f"inbox/{office.code}",
        office_code=office.code,
        original_name=original_name,
        relative_path=relative_path,
        sha256=hashlib.sha256(b"").hexdigest(),
        size_bytes=0,
        received_at=received_at,
        status="processing",
    )
    conn = _connect()
    try:
        with conn:
            with conn.cursor() as cur:
                _lock_sha(cur, base.sha256)
                judged = _judged_drop(cur, base)
            if judged is None:
                target = inbox.quarantine_path(office.code, original_name, base.sha256, drop)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(b"")
                    summary = summary_vi(original_name, office.name_vi, "quarantined", [problem])
                    report = write_reports(target, summary, [problem])[0]
                except OSError as exc:
                    return _record_failure(conn, base, f"Cannot write to the state folder: {exc}")
                refused = Judgement("quarantined", [], 0, [problem])
                record = _decided(base, refused, FIGURES, stored_path=str(target), report_path=str(report))
                file_id = _write(conn, record, refused, None)
        if inbox.inside_inbox(path):
            with contextlib.suppress(OSError):
                current = os.lstat(path)
                same = (current.st_dev, current.st_ino) == (entry.st_dev, entry.st_ino)
                if same and not stat.S_ISDIR(current.st_mode):
                    os.unlink(path)  # removes the link or pipe itself, never what it points to
        if judged is not None:
            return IngestOutcome(status=judged[1], office_code=office.code, original_name=original_name)
        log.warning("%s/%s: %s", office.code, relative_path, problem.message_en)
        return _outcome(record, file_id)
    finally:
        conn.close()


def _record_failure(conn, base: FileRecord, message_en: str, staged: inbox.Staged | None = None) -> IngestOutcome:
    """The file could not be filed away: it stays in the inbox and the failure is recorded.

    Not the file's fault, so it does not count as one of its unfinished attempts."""
    log.error("%s: %s", base.original_name, message_en)
    if staged is not None:
        inbox.clear_attempts(base.office_code, base.relative_path or base.original_name, staged.identity)
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
    """Load figures pulled from an office's system through the same transaction as a file.

    Rows may carry the source's own change time (``ParsedRow.source_changed_at``): versions
    are ranked by it, while ``received_at`` (the pull time) stays on the audit row."""
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
    submission = _Submission(base=base, office=office, raw_bytes=raw_bytes, watermark=watermark)
    return _load(submission, lambda conn: judge_figures(conn, result, office_code, original_name, nothing_new_ok=True))


def process_inbox(office_codes: list[str] | None = None) -> list[IngestOutcome]:
    """Process every ready file of the inboxes (what the inbox DAG does, in one process)."""
    offices = office_codes or inbox.office_codes()
    return [
        ingest_file(item.path, item.office_code, relative_path=item.relative_path)
        for item in inbox.scan(settings.paths().inbox, offices)
    ]
