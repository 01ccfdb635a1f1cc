"""The suite that checks the marts after dbt for what dbt's own tests cannot see.

dbt tests each model alone (keys, nulls, accepted values, a status with its label, ratios,
counts within range: ``dbt/models/**/_*__models.yml``). This suite checks what lies
between models and against the committed catalog, on the frame built by
``checks_frame``: one row per thing checked, ``check_name`` saying which
invariant it belongs to:

- ``attainment``: every target of the plan year has a row per as-of month, the dimension
  holds exactly the catalog's targets, each target's indicator is in ``dim_indicator``, and
  a reached status is backed by its value;
- ``compliance``: ``fct_reporting_compliance`` holds exactly the obligations of the seed
  ``reporting_obligations`` (the calendar the reminders follow), with its due date, label,
  office and units owed;
- ``cluster``: every member of every emulation cluster is ranked in its cluster each
  as-of month, and is in the district's ranking unless it is an office without figures;
- ``district``: where the spec makes the district a sum of its units (a commune-level
  flow or stock, a rate as a ratio of sums) and every unit in scope reported, the
  district measure of the target equals the sum over the units (a district total the
  office sent instead is its own figure, checked at ingestion as ``breakdown_mismatch``).

Everything here is error severity: a failing check stops the dashboards from being refreshed.
"""

from __future__ import annotations

from typing import Any

from core import catalog as catalog_mod
from core import vocabulary
from ingest.model import ERROR

# Relative gap allowed between a district measure and the sum over its units (rounding).
DISTRICT_TOLERANCE = 0.0001

ATTAINMENT = "fct_target_attainment"
COMPLIANCE = "fct_reporting_compliance"
CLUSTER = "fct_emulation_cluster_ranking"


# The fact table fully joined with the spine "targets of the year × as-of periods seen", so
# that a missing row and an orphan are each a row the suite can point at.
ATTAINMENT_SQL = """
with periods as (
    select distinct plan_year, as_of_period from {marts}.fct_target_attainment
),

spine as (
    select t.plan_year, t.target_code, p.as_of_period
    from {marts}.dim_target as t
    inner join periods as p on t.plan_year = p.plan_year
)

select
    coalesce(f.plan_year, s.plan_year)::int as plan_year,
    coalesce(f.target_code, s.target_code) as target_code,
    coalesce(f.as_of_period, s.as_of_period) as as_of_period,
    f.target_code is not null as in_fct,
    t.target_code is not null as in_dim,
    coalesce(i.indicator_code is not null, false) as indicator_known,
    f.status,
    f.status_vi,
    f.actual_value::float8 as actual_value,
    f.target_value::float8 as target_value,
    case
        when f.actual_value is null then null
        when t.kind = 'assessment' then f.actual_value >= 1
        when f.target_value is null then null
        when t.kind = 'more_than' then f.actual_value > f.target_value
        else f.actual_value >= f.target_value
    end as meets_target
from {marts}.fct_target_attainment as f
full outer join spine as s
    on f.plan_year = s.plan_year and f.target_code = s.target_code and f.as_of_period = s.as_of_period
left join {marts}.dim_target as t
    on coalesce(f.plan_year, s.plan_year) = t.plan_year and coalesce(f.target_code, s.target_code) = t.target_code
left join {marts}.dim_indicator as i on t.indicator_code = i.indicator_code
order by 1, 2, 3
"""

# The compliance mart beside the calendar's seed it must follow, obligation by obligation.
COMPLIANCE_SQL = """
with seed as (
    select
        o.plan_year,
        o.office_code,
        o.indicator_code,
        o.period_code,
        o.period_label_vi,
        o.due_date,
        count(u.admin_unit_code) as units_owed
    from {catalog}.reporting_obligations as o
    left join {catalog}.reporting_obligation_units as u
        on o.plan_year = u.plan_year and o.indicator_code = u.indicator_code and o.period_code = u.period_code
    group by o.plan_year, o.office_code, o.indicator_code, o.period_code, o.period_label_vi, o.due_date
)

select
    coalesce(f.plan_year, s.plan_year)::int as plan_year,
    coalesce(f.office_code, s.office_code) as office_code,
    coalesce(f.indicator_code, s.indicator_code) as indicator_code,
    coalesce(f.period_code, s.period_code) as period_code,
    f.indicator_code is not null as in_mart,
    s.indicator_code is not null as in_seed,
    (
        f.office_code is not distinct from s.office_code
        and f.due_date is not distinct from s.due_date
        and f.period_label_vi is not distinct from s.period_label_vi
        and f.units_expected is not distinct from s.units_owed
    ) as agrees_with_seed,
    to_char(f.due_date, 'DD/MM/YYYY') as due_date,
    to_char(s.due_date, 'DD/MM/YYYY') as seed_due_date,
    f.units_expected::float8 as units_expected,
    s.units_owed::float8 as seed_units_expected
from {marts}.fct_reporting_compliance as f
full outer join seed as s
    on f.plan_year = s.plan_year and f.indicator_code = s.indicator_code and f.period_code = s.period_code
order by 1, 3, 4
"""

# Every cluster member as of every month the district's ranking covers: its rows in the
# cluster's ranking, and whether the district's ranking has it (an office without figures
# is never ranked there).
CLUSTER_SQL = """
with months as (
    select distinct plan_year, as_of_period from {marts}.fct_emulation_ranking
),

expected as (
    select
        m.plan_year,
        months.as_of_period,
        m.cluster_code,
        m.unit_code,
        m.unit_type,
        coalesce(o.submits, true) as has_figures
    from {marts}.dim_emulation_cluster_member as m
    inner join months on m.plan_year = months.plan_year
    left join {marts}.dim_office as o on m.office_code = o.office_code
)

select
    e.plan_year::int as plan_year,
    e.as_of_period,
    e.cluster_code,
    e.unit_code,
    (
        select count(*)
        from {marts}.fct_emulation_cluster_ranking as c
        where
            c.plan_year = e.plan_year and c.as_of_period = e.as_of_period
            and c.cluster_code = e.cluster_code and c.unit_code = e.unit_code
    )::float8 as rows_per_member,
    r.entity_code is not null or not e.has_figures as in_ranking
from expected as e
left join {marts}.fct_emulation_ranking as r
    on
        e.plan_year = r.plan_year and e.as_of_period = r.as_of_period
        and e.unit_type = r.entity_type and e.unit_code = r.entity_code
order by 1, 2, 3, 4
"""

# Targets measured as a sum over the units (value) or a ratio of sums (ratio_pct) of
# commune-level indicators, as of the months every unit in scope reported and the
# district figure came from the units (no district total sent: int_target_measures).
DISTRICT_SQL = """
with targets as (
    select t.plan_year, t.target_code, t.measure, t.indicator_code, t.unit_scope
    from {marts}.dim_target as t
    inner join {marts}.dim_indicator as i on t.indicator_code = i.indicator_code
    where t.measure in ('value', 'ratio_pct') and i.level = 'commune'
),

units as (
    select
        targets.plan_year,
        targets.target_code,
        c.as_of_period,
        count(*) as units_with_figures,
        count(c.numerator) as units_with_ratio,
        sum(c.value_ytd) as value_sum,
        100 * sum(c.numerator) / nullif(sum(c.denominator), 0) as ratio_of_sums
    from targets
    inner join {marts}.fct_commune_indicators as c
        on targets.plan_year = c.plan_year and targets.indicator_code = c.indicator_code
    inner join {marts}.dim_admin_unit as a on c.admin_unit_code = a.unit_code
    where targets.unit_scope = 'all' or targets.unit_scope = a.unit_type
    group by targets.plan_year, targets.target_code, c.as_of_period
),

compared as (
    select
        f.plan_year,
        f.target_code,
        f.as_of_period,
        f.measure_value,
        f.units_expected,
        case when targets.measure = 'value' then units.value_sum else units.ratio_of_sums end as units_sum
    from {marts}.fct_target_attainment as f
    inner join targets on f.plan_year = targets.plan_year and f.target_code = targets.target_code
    inner join units
        on f.plan_year = units.plan_year and f.target_code = units.target_code and f.as_of_period = units.as_of_period
    inner join {intermediate}.int_target_measures as m
        on
            f.plan_year = m.plan_year and f.target_code = m.target_code and f.plan_year = m.measure_year
            and f.as_of_period = to_char(make_date(m.measure_year, m.as_of_month, 1), 'YYYY-MM')
    where
        not m.uses_district_total
        and f.units_reported = f.units_expected
        and units.units_with_figures = f.units_expected
        and (targets.measure = 'value' or units.units_with_ratio = f.units_expected)
)

select
    plan_year::int as plan_year,
    target_code,
    as_of_period,
    measure_value::float8 as measure_value,
    units_expected::float8 as units_expected,
    units_sum::float8 as units_sum,
    (abs(measure_value - units_sum) / greatest(abs(units_sum), 1))::float8 as district_gap
from compared
order by 1, 2, 3
"""

CHECKS = {
    "attainment": ATTAINMENT_SQL,
    "compliance": COMPLIANCE_SQL,
    "cluster": CLUSTER_SQL,
    "district": DISTRICT_SQL,
}
FLAGS = ("in_fct", "in_dim", "indicator_known", "in_mart", "in_seed", "agrees_with_seed", "in_ranking")
NUMBERS = (
    "actual_value",
    "target_value",
    "units_expected",
    "seed_units_expected",
    "rows_per_member",
    "measure_value",
    "units_sum",
    "district_gap",
)
PRODUCTION_SCHEMAS = {"marts": "marts", "catalog": "catalog", "intermediate": "intermediate"}


def schemas_for(schema: str) -> dict[str, str]:
    """Where the checks read: the warehouse's schemas, or one schema holding a small copy of all."""
    return dict(PRODUCTION_SCHEMAS) if schema == "marts" else dict.fromkeys(PRODUCTION_SCHEMAS, schema)


def checks_frame(conn, schema: str = "marts") -> Any:
    """One frame of every check's rows (``check_name`` tells them apart), for the mart suite."""
    import pandas as pd

    where = schemas_for(schema)
    parts = []
    with conn.cursor() as cur:
        for check, sql in CHECKS.items():
            cur.execute(sql.format(**where))
            names = [d[0] for d in cur.description]
            part = pd.DataFrame(cur.fetchall(), columns=names)
            part.insert(0, "check_name", check)
            parts.append(part)
    frame = pd.concat([p for p in parts if not p.empty] or parts[:1], ignore_index=True)
    for part in parts:  # a check without rows (no clusters sent yet) still has its columns
        for column in part.columns.difference(frame.columns):
            frame[column] = None
    for column in FLAGS:
        if column in frame:
            frame[column] = frame[column].astype(object)
    for column in NUMBERS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def _is(check: str) -> dict[str, Any]:
    from ingest.validation.suites import row_cmp

    return row_cmp("check_name", "==", check)


def mart_suite(cat: catalog_mod.Catalog) -> dict[str, Any]:
    """GX suite JSON of the mart checks, parameterised by the catalog's plan years and targets."""
    from ingest.validation.suites import MART_SUITE, SuiteBuilder, row_and, row_cmp, row_in, stable_id

    b = SuiteBuilder(MART_SUITE)

    def add(type_: str, key: str, mart: str, rule: str, message_vi: str, message_en: str, **kwargs: Any) -> None:
        b.add(
            type_,
            key,
            severity=ERROR,
            rule=rule,
            message_vi=message_vi,
            message_en=message_en,
            extra_meta={"mart": mart},
            **kwargs,
        )

    attainment = _is("attainment")
    add(
        "expect_column_distinct_values_to_contain_set",
        "not_empty",
        ATTAINMENT,
        "mart_empty",
        "Bảng kết quả thực hiện chỉ tiêu đang trống.",
        "marts.fct_target_attainment is empty.",
        column="check_name",
        value_set=["attainment"],
        scope="table",
    )
    add(
        "expect_column_values_to_be_in_set",
        "row_for_every_target",
        ATTAINMENT,
        "missing_attainment_row",
        "Thiếu dòng kết quả của chỉ tiêu {target_code} năm {plan_year}, kỳ {as_of_period}.",
        "No attainment row for {target_code} {plan_year} {as_of_period}.",
        column="in_fct",
        value_set=[True],
        row_condition=attainment,
    )
    add(
        "expect_column_values_to_be_in_set",
        "target_in_dim",
        ATTAINMENT,
        "orphan_target",
        "Chỉ tiêu {target_code} có trong bảng kết quả nhưng không có trong danh mục chỉ tiêu năm {plan_year}.",
        "Attainment row for {target_code} {plan_year} has no dim_target row.",
        column="in_dim",
        value_set=[True],
        row_condition=attainment,
    )
    for year in cat.plan_years():
        codes = sorted(t.code for t in cat.targets_for(year))
        add(
            "expect_column_distinct_values_to_equal_set",
            f"dim_targets_match_catalog:{year}",
            ATTAINMENT,
            "dim_target_mismatch",
            f"Danh mục chỉ tiêu năm {year} trong kho dữ liệu không khớp với danh mục gốc.",
            f"marts.dim_target for {year} does not hold exactly the catalog's targets.",
            column="target_code",
            value_set=codes,
            row_condition=row_and(attainment, row_cmp("plan_year", "==", year), row_cmp("in_dim", "==", True)),
            scope="table",
        )
    add(
        "expect_column_values_to_be_in_set",
        "indicator_in_dim",
        ATTAINMENT,
        "orphan_indicator",
        "Chỉ tiêu {target_code} dùng mã chỉ tiêu thống kê không có trong danh mục.",
        "dim_target {target_code} points to an indicator missing from dim_indicator.",
        column="indicator_known",
        value_set=[True],
        row_condition=row_and(attainment, row_cmp("in_dim", "==", True)),
    )
    add(
        "expect_column_values_to_be_in_set",
        "achieved_means_met",
        ATTAINMENT,
        "status_not_supported",
        "Chỉ tiêu {target_code}, kỳ {as_of_period} ghi «{status_vi}» nhưng số thực hiện {actual_value} chưa đạt mục "
        "tiêu {target_value}.",
        "{target_code} {as_of_period} is {status} but actual {actual_value} does not meet {target_value}.",
        column="meets_target",
        value_set=[True],
        row_condition=row_and(
            attainment, row_cmp("in_fct", "==", True), row_in("status", list(vocabulary.reached_statuses()))
        ),
    )

    compliance = _is("compliance")
    add(
        "expect_column_values_to_be_in_set",
        "obligation_in_compliance",
        COMPLIANCE,
        "obligation_missing",
        "Thiếu dòng tình hình báo cáo của {office_code}: {indicator_code} kỳ {period_code} (có trong lịch báo cáo).",
        "fct_reporting_compliance has no row for the obligation {office_code} {indicator_code} {period_code}.",
        column="in_mart",
        value_set=[True],
        row_condition=compliance,
    )
    add(
        "expect_column_values_to_be_in_set",
        "compliance_in_obligations",
        COMPLIANCE,
        "obligation_unknown",
        "Dòng tình hình báo cáo {office_code}: {indicator_code} kỳ {period_code} không có trong lịch báo cáo.",
        "fct_reporting_compliance row {office_code} {indicator_code} {period_code} is not an obligation of the seed.",
        column="in_seed",
        value_set=[True],
        row_condition=compliance,
    )
    add(
        "expect_column_values_to_be_in_set",
        "compliance_as_the_calendar",
        COMPLIANCE,
        "obligation_differs",
        "Tình hình báo cáo {indicator_code} kỳ {period_code} khác lịch báo cáo: hạn {due_date} thay vì "
        "{seed_due_date}, {units_expected} đơn vị phải báo cáo thay vì {seed_units_expected}.",
        "{indicator_code} {period_code}: due {due_date} / {units_expected} units in the mart, "
        "{seed_due_date} / {seed_units_expected} in the seed (or another office or label).",
        column="agrees_with_seed",
        value_set=[True],
        row_condition=row_and(compliance, row_cmp("in_mart", "==", True), row_cmp("in_seed", "==", True)),
    )

    cluster = _is("cluster")
    add(
        "expect_column_values_to_be_in_set",
        "cluster_member_ranked_once",
        CLUSTER,
        "cluster_member_not_ranked",
        "Đơn vị {unit_code} của cụm {cluster_code} có {rows_per_member} dòng xếp hạng trong cụm kỳ {as_of_period} "
        "thay vì một.",
        "{unit_code} of cluster {cluster_code} has {rows_per_member} cluster ranking rows for {as_of_period}.",
        column="rows_per_member",
        value_set=[1],
        row_condition=cluster,
    )
    add(
        "expect_column_values_to_be_in_set",
        "cluster_member_in_ranking",
        CLUSTER,
        "cluster_member_outside_ranking",
        "Đơn vị {unit_code} của cụm {cluster_code} không có trong bảng xếp hạng thi đua chung kỳ {as_of_period}.",
        "{unit_code} of cluster {cluster_code} is missing from fct_emulation_ranking for {as_of_period}.",
        column="in_ranking",
        value_set=[True],
        row_condition=cluster,
    )

    add(
        "expect_column_values_to_be_between",
        "district_is_sum_of_units",
        ATTAINMENT,
        "district_not_sum_of_units",
        "Chỉ tiêu {target_code}, kỳ {as_of_period}: số toàn huyện {measure_value} khác tổng của {units_expected} "
        "đơn vị ({units_sum}).",
        "{target_code} {as_of_period}: district measure {measure_value} differs from the units' {units_sum}.",
        column="district_gap",
        min_value=0.0,
        max_value=DISTRICT_TOLERANCE,
        row_condition=_is("district"),
    )
    return {
        "name": b.name,
        "id": stable_id("suite", b.name),
        "expectations": b.expectations,
        "meta": {
            "generated_by": "python -m transform.suites --write",
            "target": "marts (fct_target_attainment, fct_reporting_compliance, fct_emulation_cluster_ranking)",
            "plan_years": cat.plan_years(),
        },
        "notes": "The marts against each other and the catalog: what dbt's per-model tests cannot check.",
    }
