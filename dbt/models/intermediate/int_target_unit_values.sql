{#- For each target, the figures of every unit of area in its scope, for the plan year and
    the year before, at each as-of month: the numerator indicator's value and, for
    ratio_pct targets, the denominator's.

    Scope: a district-level indicator is reported for VAN_QUAN only. A commune-level
    indicator is reported per commune: unit_scope 'all' = the town and the communes, 'xa' =
    the communes only, 'thi_tran' = the town; units must be valid on 31 December of the
    year measured. For commune-level indicators the district row (VAN_QUAN) is kept too,
    flagged is_district_total, as a fallback when no commune reported. -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
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
        (
            target_years.level = 'district'
            or admin_units.unit_type != 'huyen'
        ) as is_expected
    from target_years
    inner join admin_units
        on
            make_date(target_years.measure_year, 12, 31) between admin_units.valid_from and admin_units.valid_to
            and (
                admin_units.unit_type = 'huyen'
                or (
                    target_years.level = 'commune'
                    and (
                        target_years.unit_scope = 'all'
                        or target_years.unit_scope = admin_units.unit_type
                    )
                )
            )
),

final as (
    select
        scope_units.plan_year,
        scope_units.target_code,
        scope_units.measure_year,
        as_of_months.as_of_month,
        scope_units.admin_unit_code,
        scope_units.level = 'commune' and scope_units.is_district_total as is_district_total,
        scope_units.is_expected,
        numerator.unit_value as numerator_value,
        denominator.unit_value as denominator_value,
        numerator.unit_value is not null
        and (scope_units.denominator_code is null or denominator.unit_value is not null) as is_reported,
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
)

select * from final
