"""Validate the attainment mart after dbt; record the run; fail loudly when it is broken.

    python -m transform.marts   # validate the marts, record the run, exit 1 if broken

The Great Expectations machinery (context, outcome, audit record) is the one the load path
uses too, in ``ingest.validation``; the suite itself is ``transform.mart_suite``.
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

log = logging.getLogger(__name__)
TARGET = "marts.fct_target_attainment"

# The fact table fully joined with the spine "targets of the year × as-of periods seen", so
# that a missing row, a duplicate and an orphan are each a row the suite can point at.
ATTAINMENT_SQL = """
with fct as (
    select
        f.*,
        count(*) over (partition by f.plan_year, f.target_code, f.as_of_period) as rows_per_key
    from {schema}.fct_target_attainment as f
),

periods as (
    select distinct plan_year, as_of_period from {schema}.fct_target_attainment
),

spine as (
    select t.plan_year, t.target_code, p.as_of_period
    from {schema}.dim_target as t
    inner join periods as p on t.plan_year = p.plan_year
)

select
    coalesce(f.plan_year, s.plan_year)::int as plan_year,
    coalesce(f.target_code, s.target_code) as target_code,
    coalesce(f.as_of_period, s.as_of_period) as as_of_period,
    f.target_code is not null as in_fct,
    t.target_code is not null as in_dim,
    coalesce(i.indicator_code is not null, false) as indicator_known,
    t.kind,
    f.status,
    f.status_vi,
    -- a status explained without a value (a reduction from zero, rule 4)
    coalesce(f.status_note is not null, false) as has_status_note,
    f.actual_value::float8 as actual_value,
    f.target_value::float8 as target_value,
    f.attainment_ratio::float8 as attainment_ratio,
    f.rows_per_key::int as rows_per_key,
    f.units_reported::float8 as units_reported,
    f.units_expected::float8 as units_expected,
    f.completeness_ratio::float8 as completeness_ratio,
    case
        when f.actual_value is null then null
        when t.kind = 'assessment' then f.actual_value >= 1
        when f.target_value is null then null
        when t.kind = 'more_than' then f.actual_value > f.target_value
        else f.actual_value >= f.target_value
    end as meets_target,
    case
        when f.attainment_ratio is null or f.actual_value is null or coalesce(f.target_value, 0) = 0 then null
        else abs(f.attainment_ratio - f.actual_value / f.target_value)::float8
    end as ratio_gap
from fct as f
full outer join spine as s
    on f.plan_year = s.plan_year and f.target_code = s.target_code and f.as_of_period = s.as_of_period
left join {schema}.dim_target as t
    on coalesce(f.plan_year, s.plan_year) = t.plan_year and coalesce(f.target_code, s.target_code) = t.target_code
left join {schema}.dim_indicator as i on t.indicator_code = i.indicator_code
order by 1, 2, 3
"""


class MartValidationError(RuntimeError):
    """An error-severity expectation failed on the marts: dashboards must not be refreshed."""

    def __init__(self, outcome: ValidationOutcome, run_id: int | None) -> None:
        self.outcome = outcome
        self.run_id = run_id
        failed = sorted({r.rule for r in outcome.results if not r.success and r.severity == ERROR})
        super().__init__(f"{TARGET} failed {', '.join(failed)} (validation run {run_id})")


def attainment_frame(conn, schema: str = "marts") -> Any:
    """The mart joined with its spine and dimensions, as a pandas frame."""
    import pandas as pd

    with conn.cursor() as cur:
        cur.execute(ATTAINMENT_SQL.format(schema=schema))
        names = [d[0] for d in cur.description]
        data = cur.fetchall()
    frame = pd.DataFrame(data, columns=names)
    for column in ("in_fct", "in_dim", "indicator_known", "has_status_note"):
        frame[column] = frame[column].astype(bool)
    for column in (
        "actual_value",
        "target_value",
        "attainment_ratio",
        "units_reported",
        "units_expected",
        "completeness_ratio",
        "ratio_gap",
    ):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["rows_per_key"] = pd.to_numeric(frame["rows_per_key"], errors="coerce").astype("float64")
    return frame


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
        frame = attainment_frame(conn, schema)
    finally:
        if own:
            conn.close()
    results = context.run_checkpoint(MART_SUITE, frame, run_name=f"{schema}.fct_target_attainment")
    outcome = ValidationOutcome(suite_name=MART_SUITE, rows_checked=len(frame))
    records = frame.to_dict("records")
    for res in sorted(results, key=lambda r: r.expectation_config.meta.get("key", "")):
        meta = res.expectation_config.meta or {}
        problems = _problems(res, meta, records)
        outcome.problems.extend(problems)
        outcome.results.append(expectation_summary(res, meta, problems))
    run_id = _record(outcome, f"{schema}.fct_target_attainment", record_conn) if record else None
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
                sheet_name=TARGET,
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
