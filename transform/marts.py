"""Validate the marts after dbt; record the run; fail loudly when they are broken.

    python -m transform.marts   # validate the marts, record the run, exit 1 if broken

The Great Expectations machinery (context, outcome, audit record) is the one the load path
uses too, in ``ingest.validation``; the suite and the frame it runs on are ``transform.mart_suite``.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import psycopg2

from core import settings
from ingest.model import ERROR, Problem
from ingest.validation import context, messages
from ingest.validation.outcome import ValidationOutcome
from ingest.validation.record import record_validation
from ingest.validation.submission import expectation_summary
from ingest.validation.suites import MART_SUITE
from transform.mart_suite import checks_frame

log = logging.getLogger(__name__)
TARGET = "marts"


class MartValidationError(RuntimeError):
    """An error-severity expectation failed on the marts: dashboards must not be refreshed."""

    def __init__(self, outcome: ValidationOutcome, run_id: int | None) -> None:
        self.outcome = outcome
        self.run_id = run_id
        failed = sorted({r.rule for r in outcome.results if not r.success and r.severity == ERROR})
        super().__init__(f"{TARGET} failed {', '.join(failed)} (validation run {run_id})")


def _connect(conn_or_url) -> tuple[Any, bool]:
    if conn_or_url is None:
        return psycopg2.connect(**settings.role_dsn("transformer")), True
    if isinstance(conn_or_url, str):
        return psycopg2.connect(conn_or_url), True
    return conn_or_url, False


def validate_marts(
    conn_or_url=None,
    *,
    schema: str = "marts",
    record: bool = True,
    record_conn=None,
) -> ValidationOutcome:
    """Run the mart suite; record it (as the loader, unless ``record_conn`` is given); raise if broken.

    ``conn_or_url`` reads the marts (default: the transformer role). ``schema`` lets tests
    point the suite at a small copy of the marts.
    """
    conn, own = _connect(conn_or_url)
    try:
        frame = checks_frame(conn, schema)
    finally:
        if own:
            conn.close()
    results = context.run_checkpoint(MART_SUITE, frame, run_name=schema)
    outcome = ValidationOutcome(suite_name=MART_SUITE, rows_checked=len(frame))
    records = frame.to_dict("records")
    for res in sorted(results, key=lambda r: r.expectation_config.meta.get("key", "")):
        meta = res.expectation_config.meta or {}
        problems = _problems(res, meta, records)
        outcome.problems.extend(problems)
        outcome.results.append(expectation_summary(res, meta, problems))
    run_id = _record(outcome, schema, record_conn) if record else None
    if any(not r.success and r.severity == ERROR for r in outcome.results):
        error = MartValidationError(outcome, run_id)
        log.error("%s", error)
        raise error
    log.info("%s passed %s expectations (run %s)", TARGET, len(outcome.results), run_id)
    return outcome


def _record(outcome: ValidationOutcome, target_name: str, record_conn) -> int:
    conn = record_conn or psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn, conn.cursor() as cur:
            return record_validation(
                cur, outcome, suite_name=MART_SUITE, target_kind="model", target_name=target_name, file_id=None
            )
    finally:
        if record_conn is None:
            conn.close()


def _problems(res: Any, meta: dict[str, Any], records: list[dict[str, Any]]) -> list[Problem]:
    if res.success:
        return []
    indices = res.result.get("unexpected_index_list") or []
    rows = [records[int(i)] for i in indices] or [{}]
    out = []
    for r in rows[:50]:
        ctx = messages.LenientFields({k: _text(v) for k, v in r.items()})
        out.append(
            Problem(
                meta.get("severity", ERROR),
                meta.get("rule", res.expectation_config.type),
                messages.render(meta["message_vi"], ctx),
                messages.render(meta["message_en"], ctx),
                sheet_name=f"marts.{meta.get('mart', '')}",
                column_name=res.expectation_config.kwargs.get("column"),
                expected=meta.get("expected") or None,
            )
        )
    return out


def _text(value: Any) -> str:
    if isinstance(value, float):
        return messages.fmt_vi(value)
    return "" if value is None else str(value)


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        outcome = validate_marts()
    except MartValidationError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{outcome.suite_name}: {len(outcome.results)} expectations, all error checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
