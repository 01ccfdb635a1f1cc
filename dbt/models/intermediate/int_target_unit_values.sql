{#- For each target, the figures of the district total and of every unit of area in its
    scope, for the plan year and the year before, at each as-of month: the numerator
    indicator's value and, for ratio_pct targets, the denominator's.

    Rows: the district total (VAN_QUAN, is_district_total) always, and one row per commune
    or town in the target's unit_scope ('all' = the town and the communes, 'xa' = the
    communes, 'thi_tran' = the town) wherever the indicator may be given per unit
    (stg_catalog__indicator_levels): commune-level indicators, and district-level ones
    that add up over units (a school stands in a commune). Units must be valid on
    31 December of the year measured.

    is_expected marks the rows the office owes: the district total of a district-level
    indicator, the units of a commune-level one.

    A yes/no flag of a certified unit (count_flagged, share_of_units_pct) stays what it was
    at the end of the previous year until the unit reports in this year
    (is_carried_forward): a commune that has not reported yet is not "0 certified". -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

indicator_levels as (
    select * from {{ ref('stg_catalog__indicator_levels') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

unit_values as (
    select * from {{ ref('int_unit_values') }}
),

target_years as (
    select
        targets.plan_year,
        targets.target_code,
        targets.indicator_code,
        targets.denominator_code,
        targets.unit_scope,
        targets.measure,
        indicators.level,
        measured.measure_year
    from targets
    inner join indicators on targets.indicator_code = indicators.indicator_code
    cross join lateral (
        values (targets.plan_year), (targets.plan_year - 1)
    ) as measured (measure_year)
),

scope_units as (
    select
        target_years.*,
        admin_units.unit_code as admin_unit_code,
        admin_units.unit_type = 'huyen' as is_district_total,
        (target_years.level = 'district') = (admin_units.unit_type = 'huyen') as is_expected
    from target_years
    inner join admin_units
        on make_date(target_years.measure_year, 12, 31) between admin_units.valid_from and admin_units.valid_to
    where
        admin_units.unit_type = 'huyen'
        or (
            (target_years.unit_scope = 'all' or target_years.unit_scope = admin_units.unit_type)
            and exists (
                select 1 from indicator_levels
                where
                    indicator_levels.indicator_code = target_years.indicator_code
                    and indicator_levels.unit_type = admin_units.unit_type
            )
        )
),

month_rows as (
    select
        scope_units.plan_year,
        scope_units.target_code,
        scope_units.measure_year,
        as_of_months.as_of_month,
        scope_units.admin_unit_code,
        scope_units.is_district_total,
        scope_units.is_expected,
        numerator.unit_value as numerator_value,
        denominator.unit_value as denominator_value,
        numerator.unit_value is not null
        and (scope_units.denominator_code is null or denominator.unit_value is not null) as is_reported,
        numerator.unit_value is null
        and not scope_units.is_district_total
        and scope_units.measure in ('count_flagged', 'share_of_units_pct')
        and carried.unit_value is not null as is_carried_forward,
        carried.unit_value as carried_value,
        greatest(numerator.covered_month, denominator.covered_month) as covered_month,
        numerator.is_final and coalesce(denominator.is_final, true) as is_final,
        greatest(numerator.last_received_at, denominator.last_received_at) as last_received_at
    from scope_units
    cross join generate_series(1, 12) as as_of_months (as_of_month)
    left join unit_values as numerator
        on
            scope_units.indicator_code = numerator.indicator_code
            and scope_units.admin_unit_code = numerator.admin_unit_code
            and scope_units.measure_year = numerator.period_year
            and as_of_months.as_of_month = numerator.as_of_month
    left join unit_values as denominator
        on
            scope_units.denominator_code = denominator.indicator_code
            and scope_units.admin_unit_code = denominator.admin_unit_code
            and scope_units.measure_year = denominator.period_year
            and as_of_months.as_of_month = denominator.as_of_month
    left join unit_values as carried
        on
            scope_units.indicator_code = carried.indicator_code
            and scope_units.admin_unit_code = carried.admin_unit_code
            and scope_units.measure_year - 1 = carried.period_year
            and carried.as_of_month = 12
),

final as (
    select
        plan_year,
        target_code,
        measure_year,
        as_of_month,
        admin_unit_code,
        is_district_total,
        is_expected,
        case when is_carried_forward then carried_value else numerator_value end as numerator_value,
        denominator_value,
        is_reported,
        is_carried_forward,
        covered_month,
        is_final,
        last_received_at
    from month_rows
)

select * from final
