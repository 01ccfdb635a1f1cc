"""What the review pack shows, read from the marts with the reader role (nothing else).

The marts are the contract (docs/architecture.md): ``fct_target_attainment`` joined with
``dim_target`` for the names, and ``fct_emulation_ranking`` for the two rankings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import psycopg2

from ingest import settings
from ingest.catalog import STATUS_VI

AT_RISK = ("cham_tien_do", "khong_dat", "thieu_so_lieu")
AS_OF_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class ReviewDataMissing(RuntimeError):
    """The marts hold nothing for the requested plan year and month."""


@dataclass(frozen=True)
class TargetRow:
    sort_order: int
    target_code: str
    area_vi: str
    name_vi: str
    unit: str
    responsible_office_vi: str
    target_value: Decimal | None
    target_value_high: Decimal | None
    actual_value: Decimal | None
    attainment_ratio: Decimal | None
    status: str
    status_vi: str

    @property
    def at_risk(self) -> bool:
        return self.status in AT_RISK


@dataclass(frozen=True)
class RankRow:
    rank: int
    entity_code: str
    entity_name: str
    targets_carried: int | None
    targets_on_track: int | None
    attainment_score: Decimal | None
    reporting_score: Decimal | None
    total_score: Decimal | None


@dataclass(frozen=True)
class ReviewData:
    plan_year: int
    as_of: str  # 'YYYY-MM'
    targets: list[TargetRow]
    communes: list[RankRow]
    offices: list[RankRow]

    @property
    def at_risk(self) -> list[TargetRow]:
        return [t for t in self.targets if t.at_risk]

    @property
    def as_of_month(self) -> int:
        return int(self.as_of[5:])

    def status_counts(self) -> dict[str, int]:
        """Targets per status, in the contract's order (every status present, maybe 0)."""
        counts = dict.fromkeys(STATUS_VI, 0)
        for target in self.targets:
            counts[target.status] = counts.get(target.status, 0) + 1
        return counts


def check_as_of(as_of: str) -> str:
    if not AS_OF_PATTERN.match(as_of):
        raise ValueError(f"as_of must be YYYY-MM, got {as_of!r}")
    return as_of


TARGETS_SQL = """
select t.sort_order, a.target_code, t.area_vi, t.name_vi, t.unit, t.responsible_office_vi,
       a.target_value, a.target_value_high, a.actual_value, a.attainment_ratio, a.status, a.status_vi
from marts.fct_target_attainment as a
inner join marts.dim_target as t on a.plan_year = t.plan_year and a.target_code = t.target_code
where a.plan_year = %s and a.as_of_period = %s
order by t.sort_order, a.target_code
"""

RANKING_SQL = """
select rank, entity_code, entity_name, targets_carried, targets_on_track,
       attainment_score, reporting_score, total_score
from marts.fct_emulation_ranking
where plan_year = %s and as_of_period = %s and entity_type = %s
order by rank, entity_code
"""


def read(plan_year: int, as_of: str) -> ReviewData:
    """Read the pack's figures for ``plan_year`` as of month ``as_of`` (YYYY-MM)."""
    check_as_of(as_of)
    conn = psycopg2.connect(**settings.role_dsn("reader"))
    try:
        conn.set_session(readonly=True)
        with conn, conn.cursor() as cur:
            cur.execute(TARGETS_SQL, (plan_year, as_of))
            targets = [TargetRow(*row) for row in cur.fetchall()]
            cur.execute(RANKING_SQL, (plan_year, as_of, "xa"))
            communes = [RankRow(*row) for row in cur.fetchall()]
            cur.execute(RANKING_SQL, (plan_year, as_of, "phong"))
            offices = [RankRow(*row) for row in cur.fetchall()]
    finally:
        conn.close()
    if not targets:
        raise ReviewDataMissing(f"marts hold no target attainment for plan year {plan_year} as of {as_of}")
    return ReviewData(plan_year, as_of, targets, communes, offices)
