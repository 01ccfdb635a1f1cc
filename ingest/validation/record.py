"""Keep every validation run in the audit schema, inside the caller's transaction."""

from __future__ import annotations

import json

from ingest.validation.outcome import ValidationOutcome


def record_validation(
    cur,
    outcome: ValidationOutcome,
    *,
    suite_name: str | None = None,
    target_kind: str,
    target_name: str,
    file_id: int | None = None,
) -> int:
    """Insert one ``audit.validation_runs`` row and its ``audit.validation_results``; return run_id.

    ``suite_name`` defaults to the suite that actually ran (``outcome.suite_name``).
    """
    failed = sum(1 for r in outcome.results if not r.success)
    cur.execute(
        "insert into audit.validation_runs (suite_name, target_kind, target_name, file_id, success, evaluated, failed)"
        " values (%s, %s, %s, %s, %s, %s, %s) returning run_id",
        (
            suite_name or outcome.suite_name,
            target_kind,
            target_name,
            file_id,
            outcome.success,
            len(outcome.results),
            failed,
        ),
    )
    run_id = cur.fetchone()[0]
    for r in outcome.results:
        cur.execute(
            "insert into audit.validation_results (run_id, expectation_type, column_name, severity, success,"
            " element_count, unexpected_count, unexpected_sample, message_vi, kwargs)"
            " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                run_id,
                r.expectation_type,
                r.column,
                r.severity,
                r.success,
                r.element_count,
                r.unexpected_count,
                json.dumps(r.unexpected_sample, ensure_ascii=False),
                r.message_vi or None,
                json.dumps({**r.kwargs, "rule": r.rule}, ensure_ascii=False),
            ),
        )
    return run_id
