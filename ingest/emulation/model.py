"""The emulation records as read from a file: one dataclass for all four kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ingest.model import Problem

CLUSTER = "cluster"
REGISTRATION = "registration"
PROPOSAL = "proposal"
DECISION = "decision"
KINDS = (CLUSTER, REGISTRATION, PROPOSAL, DECISION)

KIND_VI = {
    CLUSTER: "Cụm thi đua",
    REGISTRATION: "Đăng ký thi đua",
    PROPOSAL: "Đề nghị khen thưởng",
    DECISION: "Quyết định khen thưởng",
}

OCCASION_VI = {
    "so_ket": "Sơ kết (giữa năm)",
    "tong_ket": "Tổng kết (cuối năm)",
    "chuyen_de": "Chuyên đề",
    "dot_xuat": "Đột xuất",
}
NOMINEE_VI = {"tap_the": "Tập thể", "ca_nhan": "Cá nhân"}
OUTCOME_VI = {"da_duyet": "Đã duyệt", "khong_duyet": "Không duyệt", "doi_hinh_thuc": "Đổi hình thức"}


@dataclass(frozen=True)
class EmulationRow:
    """One record of one kind; ``values`` holds the kind's columns (raw table names).

    Text that could not be resolved (an unknown unit, a bad date) is kept as written in
    ``unresolved`` so that the suite can refuse the row with what was found."""

    kind: str
    sheet_name: str
    source_row: int
    plan_year: int | None
    values: dict[str, object]
    unresolved: dict[str, str] = field(default_factory=dict)


@dataclass
class EmulationParse:
    rows: list[EmulationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets_read: list[str] = field(default_factory=list)

    def of(self, kind: str) -> list[EmulationRow]:
        return [r for r in self.rows if r.kind == kind]

    @property
    def kinds(self) -> list[str]:
        return [k for k in KINDS if any(r.kind == k for r in self.rows)]

    @staticmethod
    def day(value: object) -> date | None:
        return value if isinstance(value, date) else None
