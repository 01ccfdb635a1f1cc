"""The records that pass between the stages of ingestion: parsed rows and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

ERROR = "error"  # the whole file (or pull) is quarantined
REJECTED = "rejected"  # this row is dropped; the rest of the file is judged on its own
WARNING = "warning"  # the row loads, marked with the warning

# The file formats an office may submit, by extension (``ingest.guards`` checks the bytes).
ZIP_FORMATS = ("xlsx", "xlsm", "ods")
TEXT_FORMATS = ("csv", "tsv", "txt")
FORMATS = (*ZIP_FORMATS, "xls", *TEXT_FORMATS)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One figure read from a file or a system, in the canonical long layout (slots: a big
    file holds 100,000 of them)."""

    sheet_name: str
    source_row: int  # 1-based, as Excel numbers rows (for a pull: the record's position)
    indicator_code: str
    admin_unit_code: str  # a code of admin_units.csv; the district is VAN_QUAN
    period_code: str  # '2022', '2022-Q2' or '2022-05'
    period_grain: str  # year | quarter | month
    period_start: date
    period_end: date
    value: Decimal
    value_type: str = "actual"  # estimate | actual
    note: str | None = None
    # A system's own change time of the record (None for files): versions of a figure are
    # ranked by it, so a change made at 10:00 and pulled at 11:00 counts from 10:00.
    source_changed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with a file or a row, said for office staff and for engineers (slots: a
    file can fail on every one of its rows)."""

    severity: str  # ERROR | REJECTED | WARNING
    rule: str  # a short stable code, e.g. 'unknown_indicator'
    message_vi: str  # plain Vietnamese: what is wrong and how to fix it
    message_en: str
    sheet_name: str | None = None
    source_row: int | None = None
    column_name: str | None = None
    value_found: str | None = None
    expected: str | None = None


@dataclass
class ParseResult:
    """What a reader got out of one file."""

    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    layout: str = "long"  # long | template
    template_version: str | None = None
    sheets_read: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)
