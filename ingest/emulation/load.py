"""Phòng Nội vụ's records as a kind of record of the one load path (``ingest.pipeline``):
the reader (in a limited child), each kind's suite, the duplicate rule and the writer of
the ``raw.emulation_*`` tables. Everything else (staging, the lock, the audit row,
problems, validation runs, archive or quarantine with a Vietnamese report, the inbox
clean-up) is the pipeline's, in the same transaction as an office's figures.

Supersession: the latest file carrying a record kind for a plan year replaces every earlier
record of that kind and year (``raw.emulation_batches``; dbt staging keeps the latest batch).
The same bytes again while their batches are still the latest are a duplicate and load
nothing; sent again after a later file replaced them, they load (undoing the change).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from psycopg2.extras import execute_values

from core import catalog as catalog_mod
from ingest.emulation.model import DECISION, KINDS, PROPOSAL, EmulationParse, EmulationRow
from ingest.emulation.readers import parse_file
from ingest.judgement import EarlierLoad, Judgement
from ingest.load import FileRecord
from ingest.model import ERROR, REJECTED, WARNING, Problem

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
select f.file_id, f.stored_path, f.relative_path, f.office_code, f.received_at
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
    if status == "duplicate":
        return (
            "Tệp này đã được gửi và nhận trước đây; lần gửi này không được tính thêm.",
            "Duplicate of a loaded emulation file.",
        )
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


class EmulationRecords:
    """Phòng Nội vụ's records as a kind of record of the load path (``ingest.judgement``)."""

    layout: str | None = "emulation"

    def loaded_before(self, cur, sha256: str, office_code: str) -> EarlierLoad | None:
        """The earlier load of these bytes while its batches are all still the latest."""
        cur.execute(STILL_CURRENT, (sha256, office_code))
        return cur.fetchone()

    def judge_file(self, conn, path: Path, office_code: str, label: str) -> Judgement:
        """Read the workbook (in a limited child), validate each kind present, decide."""
        parsed = parse_file(path)
        with conn.cursor() as cur:
            known = _known_proposals(cur, parsed)
        outcomes = validate(parsed, known, label) if parsed.rows else []
        problems = [*parsed.problems, *(p for o in outcomes for p in o.problems)]
        status, rows = _decide(parsed, problems)
        return Judgement(status, rows, len(parsed.rows), problems, outcomes, layout=self.layout)

    def messages(self, status: str, loaded: int, rejected: int, errors: int, warnings: int) -> tuple[str, str]:
        return _messages(status, loaded, rejected, errors, warnings)

    def write_rows(self, cur, file_id: int, record: FileRecord, judgement: Judgement) -> None:
        if judgement.rows:
            _write_rows(cur, file_id, record, judgement.rows)


RECORDS = EmulationRecords()
