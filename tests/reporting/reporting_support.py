"""Constants and helpers shared by the reporting tests (a module, not conftest, so imports are unambiguous)."""

from __future__ import annotations

import hashlib
import socket
from datetime import date, datetime
from zoneinfo import ZoneInfo

from psycopg2.extras import execute_values

# A plan year no other test loads figures for, so that the session's shared warehouse
# cannot change what these tests see.
TEST_PLAN_YEAR = 2031
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEFAULTS = ("VAN_QUAN", 1, "actual")  # unit, value and kind of a figure given as (indicator, period)


def write_figures(admin_conn, office_code: str, received: datetime, figures: list[tuple]) -> int:
    """Insert as superuser what the loader would have written for one file.

    A figure is ``(indicator, period)`` (a district figure of 1, actual) or
    ``(indicator, period, unit[, value[, value_type]])``.
    """
    digest = hashlib.sha256(f"{office_code}{received.isoformat()}{figures}".encode()).hexdigest()
    with admin_conn.cursor() as cur:
        cur.execute(
            """
            insert into audit.ingest_files (source_kind, source_name, office_code, original_name, sha256,
                                            received_at, status, rows_read, rows_loaded)
            values ('file', 'inbox', %s, %s, %s, %s, 'loaded', %s, %s)
            returning file_id
            """,
            (office_code, f"{office_code}-test.xlsx", digest, received, len(figures), len(figures)),
        )
        file_id = cur.fetchone()[0]
        rows = []
        for figure in figures:
            indicator, period, unit, value, value_type = (*figure, *DEFAULTS[len(figure) - 2 :])
            start, end, grain = _period_bounds(period)
            rows.append(
                (file_id, digest, office_code, indicator, unit, period, grain, start, end, value, value_type, received)
            )
        execute_values(
            cur,
            """
            insert into raw.submitted_figures (file_id, source_kind, source_name, source_sha256, office_code,
                indicator_code, admin_unit_code, period_code, period_grain, period_start, period_end, value,
                value_type, received_at)
            select v.file_id, 'file', 'inbox', v.digest, v.office_code, v.indicator, v.unit, v.period, v.grain,
                   v.period_start::date, v.period_end::date, v.value::numeric, v.value_type, v.received::timestamptz
            from (values %s) as v (file_id, digest, office_code, indicator, unit, period, grain, period_start,
                                   period_end, value, value_type, received)
            """,
            rows,
        )
    return file_id


def _period_bounds(period: str) -> tuple[date, date, str]:
    if "-Q" in period:
        year, quarter = int(period[:4]), int(period[-1])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1), "quarter"
    if "-" in period:
        year, month = int(period[:4]), int(period[5:])
        end = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(end.toordinal() - 1), "month"
    return date(int(period), 1, 1), date(int(period), 12, 31), "year"
