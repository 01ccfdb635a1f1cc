"""One file of Phòng Nội vụ through the same path as an office's figures: read (in a limited
child), validate with the kind's suite, write audit row, problems, validation runs and the
records in ONE transaction, file the bytes away (archive or quarantine, with a Vietnamese
report), and only then take the file out of the inbox.

Supersession: the latest file carrying a record kind for a plan year replaces every earlier
record of that kind and year (``raw.emulation_batches``; dbt staging keeps the latest batch).
The same bytes again while their batches are still the latest are a duplicate and load
nothing; sent again after a later file replaced them, they load (undoing the change).
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from psycopg2.extras import execute_values

from core import catalog as catalog_mod
from core import settings
from ingest import inbox, load
from ingest.emulation import FOLDER
from ingest.emulation.model import DECISION, KINDS, PROPOSAL, EmulationParse, EmulationRow
from ingest.emulation.readers import parse_file
from ingest.load import FileRecord
from ingest.model import ERROR, REJECTED, WARNING, Problem
from ingest.pipeline import IngestOutcome
from ingest.report import summary_vi, write_reports

log = logging.getLogger(__name__)

COLUMNS = {
    "cluster": ("plan_year", "cluster_code", "cluster_name", "unit_code", "is_head"),
    "registration": ("plan_year", "unit_code", "registered_on", "target_code", "criterion", "measure"),
    "proposal": (
        "plan_year",
        "proposal_id",
        "occasion",
        "nominee_kind",
        "unit_code",
        "person_name",
        "person_position",
        "award_form",
        "achievement",
        "evidence_targets",
        "proposing_unit",
        "proposed_on",
    ),
    "decision": ("plan_year", "proposal_id", "outcome", "new_award_form", "decision_number", "decided_on", "signer"),
}
TABLES = {
    "cluster": "raw.emulation_cluster_members",
    "registration": "raw.emulation_registrations",
    "proposal": "raw.emulation_proposals",
    "decision": "raw.emulation_decisions",
}
LINEAGE = ("file_id", "sheet_name", "source_row", "source_sha256", "received_at")

# The current proposals of each year: those of the latest batch of the kind and year.
CURRENT_PROPOSALS = """
select p.plan_year, p.proposal_id
from raw.emulation_proposals as p
inner join (
    select distinct on (plan_year) plan_year, file_id
    from raw.emulation_batches
    where record_kind = 'proposal'
    order by plan_year, received_at desc, file_id desc
) as latest on p.file_id = latest.file_id and p.plan_year = latest.plan_year
"""

# Bytes whose every batch is still the latest of its kind and year: sending them again repeats nothing.
STILL_CURRENT = """
select f.file_id, f.stored_path, f.relative_path
from audit.ingest_files as f
where f.sha256 = %s and f.office_code = %s and f.status in ('loaded', 'loaded_with_warnings')
  and not exists (
    select 1 from raw.emulation_batches as mine
    inner join raw.emulation_batches as later
        on later.record_kind = mine.record_kind and later.plan_year = mine.plan_year
        and (later.received_at, later.file_id) > (mine.received_at, mine.file_id)
    inner join audit.ingest_files as other on other.file_id = later.file_id
    where mine.file_id = f.file_id and other.sha256 != f.sha256
  )
order by f.received_at desc, f.file_id desc
limit 1
"""


def _connect():
    return psycopg2.connect(**settings.role_dsn("loader"))


def _known_proposals(cur, parsed: EmulationParse) -> set[tuple[int, str]]:
    """Proposals a decision may answer: the year's current ones, and those of this very file."""
    cur.execute(CURRENT_PROPOSALS)
    known = {(int(y), str(p)) for y, p in cur.fetchall()}
    proposal_years = {r.plan_year for r in parsed.of(PROPOSAL)}
    # A file carrying proposals of a year replaces that year's proposals: only its own count then.
    known = {k for k in known if k[0] not in proposal_years}
    known |= {(r.plan_year, str(r.values["proposal_id"])) for r in parsed.of(PROPOSAL) if r.values.get("proposal_id")}
    return known


def validate(parsed: EmulationParse, known_proposals: set[tuple[int, str]], label: str, cat=None):
    """One validation outcome per record kind present in the file."""
    from ingest.validation.emulation_suites import validate_kind

    cat = cat or catalog_mod.default()
    return [validate_kind(kind, parsed.of(kind), cat, known_proposals, label) for kind in parsed.kinds]


def _decide(parsed: EmulationParse, problems: list[Problem]) -> tuple[str, list[EmulationRow]]:
    rejected = {(p.sheet_name, p.source_row) for p in problems if p.severity == REJECTED}
    if any(p.severity == ERROR for p in problems):
        return "quarantined", []
    rows = [r for r in parsed.rows if (r.sheet_name, r.source_row) not in rejected]
    # A decision whose proposal was refused in this same file has nothing to answer.
    refused_ids = {
        (r.plan_year, r.values.get("proposal_id"))
        for r in parsed.of(PROPOSAL)
        if (r.sheet_name, r.source_row) in rejected
    }
    kept_ids = {(r.plan_year, r.values.get("proposal_id")) for r in rows if r.kind == PROPOSAL}
    for r in list(rows):
        key = (r.plan_year, r.values.get("proposal_id"))
        if r.kind == DECISION and key in refused_ids and key not in kept_ids:
            rows.remove(r)
            problems.append(
                Problem(
                    REJECTED,
                    "emulation_unknown_proposal",
                    f"Dòng {r.source_row} (trang «{r.sheet_name}»): quyết định cho đề nghị «{key[1]}» nhưng dòng đề "
                    "nghị này bị loại (xem lỗi của nó); hãy sửa đề nghị rồi gửi lại cả hai.",
                    f"Row {r.source_row}: decision for proposal {key[1]} refused in this file.",
                    sheet_name=r.sheet_name,
                    source_row=r.source_row,
                    column_name="Mã đề nghị",
                    value_found=str(key[1]),
                )
            )
    if not rows:
        problems.append(
            Problem(
                ERROR,
                "no_rows_loaded",
                "Tệp không có dòng hồ sơ hợp lệ nào để nhận. Hãy sửa các lỗi dưới đây rồi gửi lại.",
                "No valid record left to load.",
            )
        )
        return "quarantined", []
    noted = len(rows) < len(parsed.rows) or any(p.severity == WARNING for p in problems)
    return ("loaded_with_warnings" if noted else "loaded"), rows


def _write_rows(cur, file_id: int, record: FileRecord, rows: list[EmulationRow]) -> None:
    batches: Counter[tuple[str, int]] = Counter()
    for kind in KINDS:
        mine = [r for r in rows if r.kind == kind]
        if not mine:
            continue
        columns = (*COLUMNS[kind], *LINEAGE)
        values = [
            (
                *(r.plan_year if c == "plan_year" else r.values.get(c) for c in COLUMNS[kind]),
                file_id,
                r.sheet_name,
                r.source_row,
                record.sha256,
                record.received_at,
            )
            for r in mine
        ]
        execute_values(
            cur,
            f"insert into {TABLES[kind]} ({', '.join(columns)}) values %s",  # noqa: S608 - fixed names
            values,
        )
        batches.update((kind, int(r.plan_year)) for r in mine if r.plan_year)
    execute_values(
        cur,
        "insert into raw.emulation_batches (file_id, record_kind, plan_year, source_sha256, received_at, rows_loaded)"
        " values %s",
        [(file_id, k, y, record.sha256, record.received_at, n) for (k, y), n in sorted(batches.items())],
    )


def _messages(status: str, loaded: int, rejected: int, errors: int, warnings: int) -> tuple[str, str]:
    if status == "quarantined":
        return (
            f"Tệp bị trả lại: có {errors} lỗi cần sửa; chưa hồ sơ nào được nhận. Xem báo cáo lỗi kèm theo.",
            f"Quarantined: {errors} errors, nothing loaded.",
        )
    text = f"Đã nhận {loaded} dòng hồ sơ thi đua."
    if rejected:
        text += f" {rejected} dòng bị loại (xem báo cáo lỗi kèm theo)."
    if warnings:
        text += f" {warnings} cảnh báo cần kiểm tra."
    return text, f"Loaded {loaded} emulation rows, rejected {rejected}, warnings {warnings}."


def ingest_file(path: Path, *, relative_path: str | None = None, received_at: datetime | None = None) -> IngestOutcome:
    """Read, validate and load one file of the folder ``noivu``, then move it out of the inbox."""
    cat = catalog_mod.default()
    office = cat.offices[FOLDER]
    path = Path(path)
    original_name = inbox.safe_name(path.name)
    relative_path = relative_path or original_name
    try:
        staged = inbox.stage(path)
    except inbox.NotARegularFile as exc:  # a link, pipe or device: quarantined with a report, never opened
        from ingest.pipeline import _refuse_special

        return _refuse_special(path, office, original_name, relative_path, exc.kind)
    except inbox.StillChanging as exc:
        return IngestOutcome(
            status="not_ready",
            office_code=FOLDER,
            original_name=original_name,
            message_vi="Tệp đang được chép vào thư mục; hệ thống sẽ đọc ở lượt sau.",
            message_en=f"Still being written; left in the inbox for the next run ({exc}).",
        )
    try:
        return _ingest_staged(staged, office, original_name, relative_path, received_at)
    finally:
        staged.discard()


def _ingest_staged(staged, office, original_name: str, relative_path: str, received_at) -> IngestOutcome:
    from ingest.pipeline import _done, _lock_sha, _outcome

    received_at = received_at or datetime.fromtimestamp(staged.mtime, UTC)
    drop = inbox.drop_tag(FOLDER, relative_path, received_at)
    base = FileRecord(
        source_kind="file",
        source_name=f"inbox/{FOLDER}",
        office_code=FOLDER,
        original_name=original_name,
        relative_path=relative_path,
        sha256=staged.sha256,
        size_bytes=staged.size,
        received_at=received_at,
        status="processing",
        layout="emulation",
    )
    conn = _connect()
    try:
        with conn:
            with conn.cursor() as cur:
                _lock_sha(cur, staged.sha256)
                cur.execute(STILL_CURRENT, (staged.sha256, FOLDER))
                earlier = cur.fetchone()
            if earlier is not None:
                record = replace(
                    base,
                    status="duplicate",
                    duplicate_of=earlier[0],
                    message_vi="Tệp này đã được gửi và nhận trước đây; lần gửi này không được tính thêm.",
                    message_en="Duplicate of a loaded emulation file.",
                )
                target = inbox.archive_path(FOLDER, original_name, staged.sha256, datetime.now().date(), drop)
                inbox.copy_durably(staged.copy, target)
                record = replace(record, stored_path=str(target))
                with conn.cursor() as cur:
                    file_id = load.insert_file(cur, record)
                conn.commit()
                _done(staged, FOLDER, relative_path)
                return _outcome(record, file_id)

            parsed = parse_file(staged.copy)
            with conn.cursor() as cur:
                known = _known_proposals(cur, parsed)
            outcomes = validate(parsed, known, original_name) if parsed.rows else []
            problems = [*parsed.problems, *(p for o in outcomes for p in o.problems)]
            status, rows = _decide(parsed, problems)
            target = (
                inbox.quarantine_path(FOLDER, original_name, staged.sha256, drop)
                if status == "quarantined"
                else inbox.archive_path(FOLDER, original_name, staged.sha256, datetime.now().date(), drop)
            )
            report = None
            inbox.copy_durably(staged.copy, target)
            if problems:
                report = write_reports(target, summary_vi(original_name, office.name_vi, status, problems), problems)[0]
            errors = sum(p.severity == ERROR for p in problems)
            warnings = sum(p.severity == WARNING for p in problems)
            message_vi, message_en = _messages(status, len(rows), len(parsed.rows) - len(rows), errors, warnings)
            record = replace(
                base,
                status=status,
                rows_read=len(parsed.rows),
                rows_loaded=len(rows),
                rows_rejected=len(parsed.rows) - len(rows),
                error_count=errors,
                warning_count=warnings,
                stored_path=str(target),
                report_path=report and str(report),
                message_vi=message_vi,
                message_en=message_en,
            )
            try:
                with conn.cursor() as cur:
                    file_id = load.insert_file(cur, record)
                    load.insert_problems(cur, file_id, problems)
                    from ingest.validate import record_validation

                    for outcome in outcomes:
                        record_validation(cur, outcome, target_kind="file", target_name=original_name, file_id=file_id)
                    if rows:
                        _write_rows(cur, file_id, record, rows)
            except Exception:
                with contextlib.suppress(OSError):
                    target.unlink(missing_ok=True)
                raise
        _done(staged, FOLDER, relative_path)
        log.info("%s/%s: %s (file_id=%s) %s", FOLDER, relative_path, status, file_id, message_en)
        return _outcome(record, file_id)
    finally:
        conn.close()
