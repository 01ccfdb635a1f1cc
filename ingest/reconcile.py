"""Prove that every file ever dropped is accounted for and no figure is lost or counted twice.

Compares the inbox, archive and quarantine folders with the audit table and the loaded rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

from core import settings
from ingest import inbox
from ingest.pipeline import replaced_since, sha256_of


@dataclass
class Reconciliation:
    files_audited: int = 0
    files_on_disk: int = 0
    pending_in_inbox: list[str] = field(default_factory=list)
    missing_on_disk: list[str] = field(default_factory=list)
    not_in_audit: list[str] = field(default_factory=list)
    row_mismatches: list[str] = field(default_factory=list)
    double_loads: list[str] = field(default_factory=list)
    altered_on_disk: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        problems = (self.missing_on_disk, self.not_in_audit, self.row_mismatches, self.double_loads)
        return not (any(problems) or self.altered_on_disk)

    def lines(self) -> list[str]:
        out = [
            f"files in the audit table: {self.files_audited}",
            f"files in archive/quarantine: {self.files_on_disk}",
            f"files waiting in the inbox: {len(self.pending_in_inbox)}",
        ]
        for title, items in (
            ("audited file missing on disk", self.missing_on_disk),
            ("file on disk with no audit row", self.not_in_audit),
            ("loaded rows differ from the audit count", self.row_mismatches),
            ("same bytes loaded again while still current", self.double_loads),
            ("stored bytes differ from the audited hash", self.altered_on_disk),
        ):
            out.extend(f"PROBLEM {title}: {item}" for item in items)
        out.append("reconciliation: CLEAN" if self.clean else "reconciliation: NOT CLEAN")
        return out


# Two loads of the same bytes where nothing submitted in between replaced any of the first
# load's figures: the second counted them twice. (Sending earlier bytes again after a
# correction is a new submission, not a double load.)
DOUBLE_LOADS = f"""
select first.sha256, first.file_id, second.file_id
from audit.ingest_files as first
inner join audit.ingest_files as second
    on first.sha256 = second.sha256 and first.file_id < second.file_id
where
    first.status in ('loaded', 'loaded_with_warnings')
    and second.status in ('loaded', 'loaded_with_warnings')
    and not {replaced_since("first", "second.received_at")}
order by first.file_id, second.file_id
"""  # noqa: S608 - built from fixed aliases in code, never input


def _stored_files(root: Path) -> set[str]:
    if not root.exists():
        return set()
    return {
        str(path)
        for path in root.rglob("*")
        if path.is_file() and not path.name.endswith(inbox.REPORT_SUFFIXES) and not path.name.endswith(".part")
    }


def reconcile() -> Reconciliation:
    paths = settings.paths()
    result = Reconciliation()
    on_disk = _stored_files(paths.archive) | _stored_files(paths.quarantine)
    result.files_on_disk = len(on_disk)
    if paths.inbox.exists():
        result.pending_in_inbox = sorted(
            str(p.relative_to(paths.inbox))
            for p in paths.inbox.rglob("*")
            if p.is_file() and not inbox.is_ignored(p.name)
        )
    with psycopg2.connect(**settings.role_dsn("loader")) as conn, conn.cursor() as cur:
        cur.execute(
            """
            select f.file_id, f.source_kind, f.status, f.stored_path, f.rows_loaded, count(r.figure_id), f.sha256
            from audit.ingest_files as f
            left join raw.submitted_figures as r on r.file_id = f.file_id
            group by f.file_id
            order by f.file_id
            """
        )
        audited_paths = set()
        for file_id, kind, status, stored_path, rows_loaded, rows_found, sha256 in cur.fetchall():
            result.files_audited += 1
            expected = rows_loaded if status in ("loaded", "loaded_with_warnings") else 0
            if rows_found != expected:
                result.row_mismatches.append(f"file_id={file_id} status={status} audit={expected} rows={rows_found}")
            if stored_path:
                audited_paths.add(stored_path)
                if not Path(stored_path).exists():
                    result.missing_on_disk.append(f"file_id={file_id} {stored_path}")
                elif kind == "file" and sha256_of(Path(stored_path)) != sha256:
                    result.altered_on_disk.append(f"file_id={file_id} {stored_path}")
            elif kind == "file" and status != "failed":
                result.missing_on_disk.append(f"file_id={file_id} has no stored path")
        result.not_in_audit = sorted(on_disk - audited_paths)
        cur.execute(DOUBLE_LOADS)
        result.double_loads = [f"{sha} file_id={first} then {second}" for sha, first, second in cur.fetchall()]
    conn.close()
    return result
