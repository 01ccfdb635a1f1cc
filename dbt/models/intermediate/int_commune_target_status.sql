{#- How each commune (and the town) stands on the targets it carries, per plan year x
    as-of month. A unit carries a target when the target's indicator is reported per
    commune and the unit is in its scope. Judged on the unit's own figures:
      ratio_pct at_least / more_than   the unit's own ratio meets the target;
      ratio_pct reduce_by_points       the unit's rate fell on pace: (rate at the end of
                                       the previous year - rate now) >= X x covered months / 12;
      share_of_units_pct, count_flagged the unit's flag is 1;
      value (flows such as sown area)  the unit reported (no per-unit target exists).
    is_reported feeds the reporting score of the unit. -#}
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

unit_rows as (
    select * from {{ ref('int_target_unit_values') }}
),

current_rows as (
    select unit_rows.*
    from unit_rows
    inner join admin_units on unit_rows.admin_unit_code = admin_units.unit_code
    where
        unit_rows.measure_year = unit_rows.plan_year
        and unit_rows.is_expected
        and admin_units.unit_type != 'huyen'
),

previous_year_end as (
    select
        plan_year,
        target_code,
        admin_unit_code,
        100 * numerator_value / nullif(denominator_value, 0) as previous_ratio
    from unit_rows
    where measure_year = plan_year - 1 and as_of_month = 12 and covered_month = 12 and is_reported
),

unit_values as (
    select
        current_rows.plan_year,
        current_rows.target_code,
        current_rows.as_of_month,
        current_rows.admin_unit_code,
        current_rows.is_reported,
        current_rows.covered_month,
        targets.kind,
        targets.measure,
        targets.target_value,
        case
            when targets.measure = 'ratio_pct'
                then 100 * current_rows.numerator_value / nullif(current_rows.denominator_value, 0)
            else current_rows.numerator_value
        end as unit_value,
        previous_year_end.previous_ratio
    from current_rows
    inner join targets
        on
            current_rows.plan_year = targets.plan_year
            and current_rows.target_code = targets.target_code
    inner join indicators on targets.indicator_code = indicators.indicator_code
    left join previous_year_end
        on
            current_rows.plan_year = previous_year_end.plan_year
            and current_rows.target_code = previous_year_end.target_code
            and current_rows.admin_unit_code = previous_year_end.admin_unit_code
    where indicators.level = 'commune'
),

final as (
    select
        plan_year,
        target_code,
        as_of_month,
        admin_unit_code,
        is_reported,
        coalesce(
            case
                when not is_reported then false
                when measure = 'ratio_pct' and kind = 'reduce_by_points'
                    then previous_ratio - unit_value >= target_value * covered_month / 12.0
                when measure = 'ratio_pct' then {{ meets_target('kind', 'unit_value', 'target_value') }}
                when measure in ('share_of_units_pct', 'count_flagged') then unit_value = 1
                else true
            end,
            false
        ) as is_on_track
    from unit_values
)

select * from final
