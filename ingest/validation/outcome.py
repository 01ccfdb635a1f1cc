"""What a validation run returns: problems for people, one result per expectation for the audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.model import ERROR, REJECTED, WARNING, Problem


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's result, ready for ``audit.validation_results``."""

    expectation_type: str
    column: str | None
    severity: str  # error | rejected | warning (from the expectation's meta)
    rule: str
    success: bool
    element_count: int | None
    unexpected_count: int | None
    unexpected_sample: list[Any]
    message_vi: str
    kwargs: dict[str, Any]


@dataclass
class ValidationOutcome:
    """Problems found (with severities) and the per-expectation results of one suite run."""

    suite_name: str
    problems: list[Problem] = field(default_factory=list)
    results: list[ExpectationOutcome] = field(default_factory=list)
    rows_checked: int = 0

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    @property
    def success(self) -> bool:
        """No failing expectation of severity error or rejected (warnings do not fail a run)."""
        return not any(not r.success and r.severity in (ERROR, REJECTED) for r in self.results)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def rejected_rows(outcome: ValidationOutcome) -> set[tuple[str, int]]:
    """(sheet_name, source_row) of every row a 'rejected' problem drops."""
    return {
        (p.sheet_name, p.source_row)
        for p in outcome.problems
        if p.severity == REJECTED and p.sheet_name is not None and p.source_row is not None
    }
