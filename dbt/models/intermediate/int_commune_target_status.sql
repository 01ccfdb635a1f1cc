{#- How each commune (and the town) stands on the targets it carries, per plan year x
    as-of month, judged on the unit's own figures only (never on the district total or
    on the offices' reporting). A unit carries a target when the target's indicator is
    reported per commune, the unit is in its scope and the target has a yardstick for one
    unit:
      share_of_units_pct, count_flagged  the unit's flag (paved road, "new rural", health
                                         criteria): 1 is reached;
      ratio_pct                          the unit's own rate (ratio of its numerator and
                                         denominator), judged like the district's;
      value, relative kinds              the unit's own change against the previous year
                                         (growth_range, increase_by, reduce_by_points,
                                         reduce_by_pct): flows against the same covered
                                         months, stocks against the end of the year.
    A level of a district total (at_least / more_than / assessment on a value, e.g. sown
    area 9,000 ha) has no per-unit yardstick: the row is kept with a null status and is not
    scored.

    status uses the codes of fct_target_attainment, as of month m (the year is due at m = 12):
      thieu_so_lieu  the unit has no figure (or no baseline, or growth from zero);
      dat            reached at year end; before it only where it cannot be undone (a flag
                     or count that has increased);
      dung_tien_do   a rate, level or change that already meets the target mid-year
                     (rules 5-6: rates and changes are never pro-rated), a reduction from
                     zero to zero included;
      chua_dat       an unreached flag or "increase_by" count before year end (no pace);
      cham_tien_do   a rate, level or change that does not meet the target mid-year;
      khong_dat      not reached at year end. -#}
with

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

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

unit_measures as (
    select
        unit_rows.*,
        case
            when targets.measure = 'ratio_pct'
                then 100 * unit_rows.numerator_value / nullif(unit_rows.denominator_value, 0)
            else unit_rows.numerator_value
        end as unit_value
    from unit_rows
    inner join targets
        on
            unit_rows.plan_year = targets.plan_year
            and unit_rows.target_code = targets.target_code
),

current_rows as (
    select unit_measures.*
    from unit_measures
    inner join admin_units on unit_measures.admin_unit_code = admin_units.unit_code
    where
        unit_measures.measure_year = unit_measures.plan_year
        and unit_measures.is_expected
        and admin_units.unit_type != 'huyen'
),

previous_rows as (
    select
        plan_year,
        target_code,
        admin_unit_code,
        as_of_month,
        covered_month,
        unit_value
    from unit_measures
    where measure_year = plan_year - 1 and is_reported
),

unit_values as (
    select
        current_rows.plan_year,
        current_rows.target_code,
        current_rows.as_of_month,
        current_rows.admin_unit_code,
        current_rows.is_reported,
        current_rows.unit_value,
        targets.kind,
        targets.measure,
        targets.target_value,
        case
            when targets.measure in ('share_of_units_pct', 'count_flagged') then 'flag'
            when targets.measure = 'ratio_pct' then 'rate'
            when targets.kind in ('growth_range', 'increase_by', 'reduce_by_points', 'reduce_by_pct')
                then 'change'
        end as yardstick,
        case
            when indicators.aggregation = 'flow' then previous_span.unit_value
            else previous_end.unit_value
        end as baseline_value
    from current_rows
    inner join targets
        on
            current_rows.plan_year = targets.plan_year
            and current_rows.target_code = targets.target_code
    inner join indicators on targets.indicator_code = indicators.indicator_code
    -- flows: the previous year over exactly the same covered months
    left join previous_rows as previous_span
        on
            current_rows.plan_year = previous_span.plan_year
            and current_rows.target_code = previous_span.target_code
            and current_rows.admin_unit_code = previous_span.admin_unit_code
            and current_rows.covered_month = previous_span.as_of_month
            and current_rows.covered_month = previous_span.covered_month
    -- stocks: the value at the end of the previous year
    left join previous_rows as previous_end
        on
            current_rows.plan_year = previous_end.plan_year
            and current_rows.target_code = previous_end.target_code
            and current_rows.admin_unit_code = previous_end.admin_unit_code
            and previous_end.as_of_month = 12
            and previous_end.covered_month = 12
    where indicators.level = 'commune'
),

with_actual as (
    select
        unit_values.*,
        as_of_month = 12 as is_due,
        case
            when yardstick = 'flag' then unit_value
            when kind = 'growth_range' then 100 * (unit_value / nullif(baseline_value, 0) - 1)
            when kind = 'increase_by' then unit_value - baseline_value
            when kind = 'reduce_by_points' then baseline_value - unit_value
            when kind = 'reduce_by_pct'
                then
                    case
                        when baseline_value = 0 and unit_value = 0 then 0
                        else 100 * (baseline_value - unit_value) / nullif(baseline_value, 0)
                    end
            else unit_value
        end as actual_value
    from unit_values
),

with_reached as (
    select
        with_actual.*,
        case
            when yardstick = 'flag' then actual_value >= 1
            -- rule 4: a reduction from zero to zero is on track
            when kind in ('reduce_by_points', 'reduce_by_pct') and baseline_value = 0 and unit_value = 0
                then true
            else {{ meets_target('kind', 'actual_value', 'target_value') }}
        end as is_reached,
        -- no pace (rule 5): a count that must increase, or an assessment, is "chưa đạt"
        -- until reached
        kind in ('increase_by', 'assessment') as is_without_pace,
        -- reaching cannot be undone (rule 6): a count that has increased
        kind = 'increase_by' as is_irreversible
    from with_actual
),

judged as (
    select
        plan_year,
        target_code,
        as_of_month,
        admin_unit_code,
        is_reported,
        round(actual_value, 4) as actual_value,
        case
            when yardstick is null then null
            when not is_reported or actual_value is null then 'thieu_so_lieu'
            when is_reached and (is_due or is_irreversible) then 'dat'
            when is_reached then 'dung_tien_do'
            when is_due then 'khong_dat'
            when is_without_pace then 'chua_dat'
            else 'cham_tien_do'
        end as status
    from with_reached
),

final as (
    select
        judged.*,
        coalesce(statuses.is_on_track, false) as is_on_track
    from judged
    left join statuses on judged.status = statuses.code
)

select * from final
