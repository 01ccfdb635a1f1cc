"""Figures already in the warehouse, for the plausibility checks (history, peers, previous period)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Figure:
    """The latest value of one key (indicator, unit, period, value type)."""

    indicator_code: str
    admin_unit_code: str
    period_code: str
    period_grain: str
    period_start: date
    period_end: date
    value: float
    value_type: str


def load_history(conn, indicator_codes: list[str]) -> list[Figure]:
    """Latest loaded figure per key for ``indicator_codes`` (later loads supersede earlier ones)."""
    if conn is None or not indicator_codes:
        return []
    with conn.cursor() as cur:
        cur.execute(
            """
            select distinct on (indicator_code, admin_unit_code, period_code, value_type)
                indicator_code, admin_unit_code, period_code, period_grain, period_start, period_end,
                value::float8, value_type
            from raw.submitted_figures
            where indicator_code = any(%s)
            order by indicator_code, admin_unit_code, period_code, value_type, loaded_at desc, figure_id desc
            """,
            (sorted(set(indicator_codes)),),
        )
        return [Figure(*row) for row in cur.fetchall()]
