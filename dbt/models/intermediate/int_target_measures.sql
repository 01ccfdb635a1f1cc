{#- The value each target measures, for the district, per plan year x target x measured
    year (the plan year and the year before) x as-of month:
      value              the indicator's district value;
      ratio_pct          100 x numerator / denominator: a ratio of sums over the units,
                         never a mean of unit ratios;
      share_of_units_pct 100 x units flagged 1 / units in scope (from the catalog);
      count_flagged      units flagged 1.

    Where the district value comes from (value and ratio_pct):
      * the district total (VAN_QUAN) when the office sent one: it is the office's
        consolidated figure, whatever breakdown arrived beside it;
      * otherwise the sum of the units that reported (a commune breakdown, or the town
        alone for urban waste), for district-level and commune-level indicators alike.
    Flags are counted over the units, a unit that has not reported in the year keeping
    its previous year-end flag (int_target_unit_values).

    units_expected / units_reported: how many of the owed figures are in (the district
    total of a district-level indicator counts as one; with a district total, or any
    breakdown of a district-level indicator, the figure is complete). measure_value is
    null when nothing was reported. -#}
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
        count(*) filter (where is_expected and is_reported) as expected_reported,
        -- the units' breakdown (communes and the town)
        count(*) filter (where not is_district_total and is_reported) as units_with_figures,
        sum(numerator_value) filter (where not is_district_total and is_reported) as units_numerator,
        sum(denominator_value) filter (where not is_district_total and is_reported) as units_denominator,
        count(*) filter (
            where not is_district_total and (is_reported or is_carried_forward) and numerator_value = 1
        ) as units_flagged,
        count(*) filter (where not is_district_total and is_expected) as units_in_scope,
        max(covered_month) filter (where not is_district_total and is_reported) as units_covered_month,
        bool_and(is_final) filter (where not is_district_total and is_reported) as units_final,
        max(last_received_at) filter (where not is_district_total and is_reported) as units_received_at,
        -- the district total
        max(numerator_value) filter (where is_district_total and is_reported) as district_numerator,
        max(denominator_value) filter (where is_district_total and is_reported) as district_denominator,
        max(covered_month) filter (where is_district_total and is_reported) as district_covered_month,
        bool_and(is_final) filter (where is_district_total and is_reported) as district_final,
        max(last_received_at) filter (where is_district_total and is_reported) as district_received_at
    from unit_rows
    group by plan_year, target_code, measure_year, as_of_month
),

with_source as (
    select
        aggregated.*,
        targets.measure,
        targets.measure in ('value', 'ratio_pct') and aggregated.district_numerator is not null as uses_district_total
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
        case
            when uses_district_total then units_expected
            when units_in_scope = 0 and units_with_figures > 0 then units_expected
            else expected_reported
        end as units_reported,
        uses_district_total,
        case when uses_district_total then district_numerator else units_numerator end as numerator_sum,
        case when uses_district_total then district_denominator else units_denominator end as denominator_sum,
        case
            when uses_district_total and measure = 'value' then district_numerator
            when uses_district_total and measure = 'ratio_pct'
                then 100 * district_numerator / nullif(district_denominator, 0)
            when units_with_figures = 0 then null
            when measure = 'value' then units_numerator
            when measure = 'ratio_pct' then 100 * units_numerator / nullif(units_denominator, 0)
            when measure = 'share_of_units_pct' then 100.0 * units_flagged / nullif(units_in_scope, 0)
            when measure = 'count_flagged' then units_flagged
        end as measure_value,
        case when uses_district_total then district_covered_month else units_covered_month end as covered_month,
        case when uses_district_total then district_final else units_final end as is_final,
        case when uses_district_total then district_received_at else units_received_at end as last_received_at
    from with_source
)

select * from final
