{#- The value each target measures, for the district, per plan year x target x measured
    year (the plan year and the year before) x as-of month:
      value              sum of the units' values (for a district-level indicator: the
                         VAN_QUAN figure);
      ratio_pct          100 x sum(numerators) / sum(denominators) over the units that
                         reported both: a ratio of sums, never a mean of unit ratios;
      share_of_units_pct 100 x units flagged 1 / units in scope (from the catalog);
      count_flagged      units flagged 1.
    Commune-level value/ratio_pct targets fall back on a district total (VAN_QUAN) only
    when no commune reported. measure_value is null when nothing was reported. -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

unit_rows as (
    select * from {{ ref('int_target_unit_values') }}
),

aggregated as (
    select
        plan_year,
        target_code,
        measure_year,
        as_of_month,
        count(*) filter (where is_expected) as units_expected,
        count(*) filter (where is_expected and is_reported) as units_reported,
        sum(numerator_value) filter (where is_expected and is_reported) as numerator_sum,
        sum(denominator_value) filter (where is_expected and is_reported) as denominator_sum,
        count(*) filter (where is_expected and is_reported and numerator_value = 1) as units_flagged,
        max(covered_month) filter (where is_expected and is_reported) as covered_month,
        bool_and(is_final) filter (where is_expected and is_reported) as is_final,
        max(last_received_at) filter (where is_expected and is_reported) as last_received_at,
        max(numerator_value) filter (where is_district_total and is_reported) as district_numerator,
        max(denominator_value) filter (where is_district_total and is_reported) as district_denominator,
        max(covered_month) filter (where is_district_total and is_reported) as district_covered_month,
        bool_and(is_final) filter (where is_district_total and is_reported) as district_final,
        max(last_received_at) filter (where is_district_total and is_reported) as district_received_at
    from unit_rows
    group by plan_year, target_code, measure_year, as_of_month
),

with_fallback as (
    select
        aggregated.*,
        targets.measure,
        aggregated.units_reported = 0
        and aggregated.district_numerator is not null
        and targets.measure in ('value', 'ratio_pct') as uses_district_total
    from aggregated
    inner join targets
        on
            aggregated.plan_year = targets.plan_year
            and aggregated.target_code = targets.target_code
),

final as (
    select
        plan_year,
        target_code,
        measure_year,
        as_of_month,
        units_expected,
        units_reported,
        uses_district_total,
        case when uses_district_total then district_numerator else numerator_sum end as numerator_sum,
        case when uses_district_total then district_denominator else denominator_sum end as denominator_sum,
        case
            when uses_district_total and measure = 'value' then district_numerator
            when uses_district_total and measure = 'ratio_pct'
                then 100 * district_numerator / nullif(district_denominator, 0)
            when units_reported = 0 then null
            when measure = 'value' then numerator_sum
            when measure = 'ratio_pct' then 100 * numerator_sum / nullif(denominator_sum, 0)
            when measure = 'share_of_units_pct' then 100.0 * units_flagged / nullif(units_expected, 0)
            when measure = 'count_flagged' then units_flagged
        end as measure_value,
        case when uses_district_total then district_covered_month else covered_month end as covered_month,
        case when uses_district_total then district_final else is_final end as is_final,
        case when uses_district_total then district_received_at else last_received_at end as last_received_at
    from with_fallback
)

select * from final
