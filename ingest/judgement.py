"""The contract between the one load transaction (``ingest.pipeline``) and each kind of
record it takes: the offices' figures (the pipeline's own) and Phòng Nội vụ's emulation
records (``ingest.emulation.load``).

A kind says how bytes already loaded are recognised, what the messages of an outcome say
and how its rows are written; its reader and suites give a ``Judgement``. Everything else
(staging, the lock, duplicates, attempts, archive or quarantine, the error report, the
audit row, problems, validation runs, the commit and the inbox clean-up) is the pipeline's,
the same for every kind. Kept apart so that a kind never imports the pipeline it plugs into.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from ingest.load import FileRecord
from ingest.model import Problem

# (file_id, stored_path, relative_path, office_code, received_at) of the earlier load
EarlierLoad = tuple[int, str | None, str | None, str, datetime]


@dataclass
class Judgement:
    """What a reader and its suites made of one submission, before anything is written."""

    status: str  # loaded | loaded_with_warnings | quarantined
    rows: list[Any]  # the rows to write (none when quarantined)
    rows_read: int
    problems: list[Problem]
    validations: list[Any] = field(default_factory=list)  # ValidationOutcome of each suite run
    layout: str | None = None
    template_version: str | None = None


class RecordKind(Protocol):
    """One kind of record the load path takes."""

    layout: str | None  # the audit row's layout before the file is read (None: the reader says)

    def loaded_before(self, cur: Any, sha256: str, office_code: str) -> EarlierLoad | None:
        """The earlier load these bytes would only repeat (its rows are all still current)."""
        ...

    def judge_file(self, conn: Any, path: Path, office_code: str, label: str) -> Judgement:
        """Read the staged bytes at ``path``, validate them with the kind's suites, decide what
        loads (``conn``: the load transaction, to read what the checks compare with)."""
        ...

    def messages(self, status: str, loaded: int, rejected: int, errors: int, warnings: int) -> tuple[str, str]:
        """What the outcome says, in Vietnamese for the office and in English for engineers."""
        ...

    def write_rows(self, cur: Any, file_id: int, record: FileRecord, judgement: Judgement) -> None:
        """Insert the judged rows with their lineage, inside the load transaction."""
        ...
