"""What the review pack shows, read from the marts with the reader role (nothing else).

The marts are the contract (docs/architecture.md): ``dim_target`` for every target of the
plan year, ``fct_target_attainment`` for where each stands, ``fct_target_groups`` for the
one verdict of targets the decree sets together (XH07 "cả 3 tiêu chí"),
``fct_consistency_checks`` for the warnings leaders see beside the figures (MT01a within
MT01, XH03's cumulative 15), ``fct_emulation_ranking`` for the two rankings and
``fct_reporting_compliance`` (with ``dim_indicator``) for the figures still missing and
the offices that owe them.

A pack is built from what has arrived and never fails for missing figures (rule 8): a
target whose figures for the month are not in yet shows its latest month with figures
(``data_as_of``), or "Thiếu số liệu" when it has none; the figures of the periods ending
by the pack's month (and the previous year's baselines) that are not (completely)
received are listed with their office, as judged by the compliance mart on its day (so a
pack built later for an earlier month lists what is still missing at that time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import psycopg2

from core import settings, vocabulary
from core.calendar import month
from core.catalog import STATUS_VI
from reporting.review_emulation import ProposalRow
from reporting.review_emulation import read as read_proposals

AT_RISK = vocabulary.at_risk_statuses()
ACHIEVED = vocabulary.on_track_statuses()
AS_OF_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MISSING_STATUS = "thieu_so_lieu"
NOT_RANKED = "Chưa xếp hạng"
WARNING_STATUS = "canh_bao"


class ReviewDataMissing(RuntimeError):
    """The marts hold no target at all for the requested plan year (a catalog problem, not missing figures)."""


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
    data_as_of: str | None = None  # 'YYYY-MM' of the attainment row shown; None: no figures at all

    @property
    def at_risk(self) -> bool:
        return self.status in AT_RISK

    @property
    def achieved(self) -> bool:
        return self.status in ACHIEVED


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

    @property
    def rank_vi(self) -> str:
        """The rank as shown: a unit with nothing judged yet has no score and is not ranked."""
        return NOT_RANKED if self.total_score is None else str(self.rank)


@dataclass(frozen=True)
class MissingFigure:
    """A figure due for a period up to the pack's month that has not (completely) arrived."""

    office_name: str
    indicator_name: str
    period_label: str  # 'Tháng 6/2022', 'Quý 2/2022', 'Năm 2021'
    due_date: date
    overdue_days: int | None  # None or 0: not yet overdue
    missing_units_vi: str | None  # who is missing, for an obligation over communes
    target_codes: str  # the targets that need it ('KT01, XH06')
    is_baseline: bool

    @property
    def status_vi(self) -> str:
        if self.overdue_days:
            return f"Quá hạn {self.overdue_days} ngày"
        return "Chưa đến hạn"


@dataclass(frozen=True)
class GroupRow:
    """One verdict for targets the decree sets together, as of the latest month up to the pack's."""

    group_code: str
    group_name_vi: str
    status: str
    status_vi: str
    members_total: int
    members_met: int
    members_on_track: int
    short_criteria_vi: str | None
    missing_figure: str | None
    as_of_period: str

    @property
    def verdict_vi(self) -> str:
        """'Đúng tiến độ (3/3 tiêu chí đạt hoặc đúng tiến độ)'."""
        return f"{self.status_vi} ({self.members_on_track}/{self.members_total} tiêu chí đạt hoặc đúng tiến độ)"


@dataclass(frozen=True)
class CheckRow:
    """One consistency check beside the figures (a warning, never an error), latest month up to the pack's."""

    check_name_vi: str
    target_code: str
    compared_target_code: str | None
    check_status: str
    check_status_vi: str
    message_vi: str | None
    as_of_period: str

    @property
    def is_warning(self) -> bool:
        return self.check_status == WARNING_STATUS


@dataclass(frozen=True)
class ReviewData:
    plan_year: int
    as_of: str  # 'YYYY-MM'
    targets: list[TargetRow]
    communes: list[RankRow]
    offices: list[RankRow]
    missing: list[MissingFigure] = field(default_factory=list)
    groups: list[GroupRow] = field(default_factory=list)
    checks: list[CheckRow] = field(default_factory=list)
    # commendation proposals with their evidence and the Council's decisions (issue #20)
    proposals: list[ProposalRow] = field(default_factory=list)

    @property
    def warnings(self) -> list[CheckRow]:
        return [c for c in self.checks if c.is_warning]

    @property
    def at_risk(self) -> list[TargetRow]:
        return [t for t in self.targets if t.at_risk]

    @property
    def achieved(self) -> list[TargetRow]:
        return [t for t in self.targets if t.achieved]

    @property
    def as_of_month(self) -> int:
        return int(self.as_of[5:])

    @property
    def stale(self) -> list[TargetRow]:
        """Targets shown as of an earlier month than the pack's (their figures for it are not in yet)."""
        return [t for t in self.targets if t.data_as_of is not None and t.data_as_of != self.as_of]

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


# Each target of the plan year with its latest attainment row up to the requested month.
TARGETS_SQL = """
select t.sort_order, t.target_code, t.area_vi, t.name_vi, t.unit, t.responsible_office_vi,
       coalesce(a.target_value, t.target_value), coalesce(a.target_value_high, t.target_value_high),
       a.actual_value, a.attainment_ratio, coalesce(a.status, %(missing)s), a.status_vi, a.as_of_period
from marts.dim_target as t
left join lateral (
    select * from marts.fct_target_attainment as f
    where f.plan_year = t.plan_year and f.target_code = t.target_code and f.as_of_period <= %(as_of)s
    order by f.as_of_period desc
    limit 1
) as a on true
where t.plan_year = %(plan_year)s
order by t.sort_order, t.target_code
"""

RANKING_SQL = """
select rank, entity_code, entity_name, targets_carried, targets_on_track,
       attainment_score, reporting_score, total_score
from marts.fct_emulation_ranking
where plan_year = %s and as_of_period = (
    select max(as_of_period) from marts.fct_emulation_ranking where plan_year = %s and as_of_period <= %s
) and entity_type = %s
order by rank, entity_code
"""

# Obligations for periods ending by the pack's month (the previous year's baselines too)
# that are not complete, with the targets that need the figure.
MISSING_SQL = """
select c.office_name, coalesce(i.name_vi, c.indicator_code), c.period_label_vi, c.due_date,
       case when c.compliance_status = 'chua_nop' then c.days_late end, c.missing_units_vi,
       coalesce((select string_agg(t.target_code, ', ' order by t.sort_order) from marts.dim_target as t
                 where t.plan_year = c.plan_year
                   and c.indicator_code in (t.indicator_code, t.denominator_code)), ''),
       c.is_baseline
from marts.fct_reporting_compliance as c
left join marts.dim_indicator as i on c.indicator_code = i.indicator_code
where c.plan_year = %s and c.period_end <= %s and c.units_missing > 0
order by c.office_name, c.due_date, i.name_vi, c.period_end
"""


# Each group's verdict and each consistency check, latest month up to the pack's.
GROUPS_SQL = """
select distinct on (group_code)
       group_code, group_name_vi, status, status_vi, members_total, members_met, members_on_track,
       short_criteria_vi, missing_figure, as_of_period
from marts.fct_target_groups
where plan_year = %s and as_of_period <= %s
order by group_code, as_of_period desc
"""

CHECKS_SQL = """
select check_name_vi, target_code, compared_target_code, check_status, check_status_vi, message_vi, as_of_period
from (
    select distinct on (check_code, target_code) *
    from marts.fct_consistency_checks
    where plan_year = %s and as_of_period <= %s
    order by check_code, target_code, as_of_period desc
) as latest
order by check_status != 'canh_bao', target_code, check_code
"""


def month_end(as_of: str) -> date:
    """The last day of month ``as_of`` (YYYY-MM)."""
    return month(int(as_of[:4]), int(as_of[5:])).end


def read(plan_year: int, as_of: str) -> ReviewData:
    """Read the pack's figures for ``plan_year`` as of month ``as_of`` (YYYY-MM), from what has arrived."""
    check_as_of(as_of)
    conn = psycopg2.connect(**settings.role_dsn("reader"))
    try:
        conn.set_session(readonly=True)
        with conn, conn.cursor() as cur:
            cur.execute(TARGETS_SQL, {"plan_year": plan_year, "as_of": as_of, "missing": MISSING_STATUS})
            targets = [
                TargetRow(*row[:11], row[11] or STATUS_VI.get(row[10], row[10]), row[12]) for row in cur.fetchall()
            ]
            ranked = []
            for kind in ("xa", "phong"):
                cur.execute(RANKING_SQL, (plan_year, plan_year, as_of, kind))
                ranked.append([RankRow(*row) for row in cur.fetchall()])
            cur.execute(MISSING_SQL, (plan_year, month_end(as_of)))
            missing = [MissingFigure(*row) for row in cur.fetchall()]
            cur.execute(GROUPS_SQL, (plan_year, as_of))
            groups = [GroupRow(*row) for row in cur.fetchall()]
            cur.execute(CHECKS_SQL, (plan_year, as_of))
            checks = [CheckRow(*row) for row in cur.fetchall()]
        proposals = read_proposals(plan_year, as_of, conn)
    finally:
        conn.close()
    if not targets:
        raise ReviewDataMissing(f"marts hold no target of plan year {plan_year}")
    return ReviewData(plan_year, as_of, targets, ranked[0], ranked[1], missing, groups, checks, proposals)
