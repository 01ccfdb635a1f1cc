{#- The figures in force for each target as of each month (spec "Judging in the year",
    rules 1-3, and rule 4's first due date): one row per plan year x target x as-of month
    with the target's attributes, how its pace is set (rule 5's pace_kind), the current
    measure (int_target_measures: rules 1-2), the previous year over the same months and
    the baseline a target compares with. int_target_pace goes on from here. -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

as_of_months as (
    select * from {{ ref('int_plan_as_of_months') }}
),

obligations as (
    select * from {{ ref('reporting_obligations') }}
),

measures as (
    select * from {{ ref('int_target_measures') }}
),

-- Rule 4: the first figure of the plan year due for each indicator (the calendar's, from
-- core.calendar); before that day nothing is missing yet, e.g. a quarterly figure in
-- January and February.
first_due as (
    select distinct on (plan_year, indicator_code)
        plan_year,
        indicator_code,
        due_date,
        period_label_vi
    from obligations
    where not is_baseline
    order by plan_year asc, indicator_code asc, due_date asc, period_end asc
),

target_grid as (
    select
        targets.plan_year,
        targets.target_code,
        targets.sort_order,
        targets.area,
        targets.kind,
        coalesce(targets.measure, 'value') as measure,
        targets.indicator_code,
        targets.denominator_code,
        targets.target_value,
        targets.target_value_high,
        numerator_indicator.aggregation,
        -- the figures a missing-data message names
        '“' || coalesce(numerator_indicator.name_vi, targets.indicator_code) || '”'
        || coalesce(' và “' || coalesce(denominator_indicator.name_vi, targets.denominator_code) || '”', '')
            as figure_names_vi,
        as_of_months.as_of_month,
        as_of_months.as_of_period,
        as_of_months.as_of_date,
        first_due.due_date as first_due_date,
        first_due.period_label_vi as first_due_period_vi,
        coalesce(as_of_months.as_of_date < least(first_due.due_date, denominator_due.due_date), false)
            as is_before_first_due,
        targets.needs_baseline
        or targets.kind in ('growth_range', 'increase_by', 'reduce_by_points', 'reduce_by_pct') as uses_baseline,
        -- rule 5: how the pace is set
        case
            when
                targets.kind in ('at_least', 'more_than')
                and coalesce(targets.measure, 'value') = 'value'
                and numerator_indicator.aggregation = 'flow'
                then 'flow_level'
            when targets.kind in ('at_least', 'more_than') then 'level'
            when targets.kind in ('growth_range', 'reduce_by_points', 'reduce_by_pct') then 'comparison'
            else 'no_pace'
        end as pace_kind,
        -- a level in percent can never be projected above 100
        targets.kind in ('at_least', 'more_than')
        and (targets.measure in ('ratio_pct', 'share_of_units_pct') or targets.unit = '%') as is_percentage_level
    from targets
    inner join indicators as numerator_indicator on targets.indicator_code = numerator_indicator.indicator_code
    left join indicators as denominator_indicator on targets.denominator_code = denominator_indicator.indicator_code
    inner join as_of_months on targets.plan_year = as_of_months.plan_year
    left join first_due
        on
            targets.plan_year = first_due.plan_year
            and targets.indicator_code = first_due.indicator_code
    left join first_due as denominator_due
        on
            targets.plan_year = denominator_due.plan_year
            and targets.denominator_code = denominator_due.indicator_code
),

with_current as (
    select
        target_grid.*,
        current_measure.measure_value as current_value,
        current_measure.covered_month,
        coalesce(current_measure.is_final, false) as is_final,
        current_measure.last_received_at,
        coalesce(current_measure.units_reported, 0) as units_reported,
        coalesce(current_measure.units_expected, 0) as units_expected
    from target_grid
    left join measures as current_measure
        on
            target_grid.plan_year = current_measure.plan_year
            and target_grid.target_code = current_measure.target_code
            and target_grid.plan_year = current_measure.measure_year
            and target_grid.as_of_month = current_measure.as_of_month
),

-- Rule 3 for flows: the previous year over the same months. The first month of that year,
-- from the months covered now on, up to which the previous year is known exactly (its
-- as-of month is the month it covers): the same month gives the exact span; a later one
-- (a quarter, the year) gives its pro-rata share of the months, an approximation.
previous_span_candidates as (
    select
        with_current.plan_year,
        with_current.target_code,
        with_current.as_of_month,
        previous.as_of_month as previous_month,
        previous.measure_value as previous_value,
        row_number() over (
            partition by with_current.plan_year, with_current.target_code, with_current.as_of_month
            order by previous.as_of_month
        ) as pick
    from with_current
    inner join measures as previous
        on
            with_current.plan_year = previous.plan_year
            and with_current.target_code = previous.target_code
            and with_current.plan_year - 1 = previous.measure_year
            and with_current.covered_month <= previous.as_of_month
            and previous.covered_month = previous.as_of_month
            and previous.measure_value is not null
    where with_current.aggregation = 'flow'
),

previous_span as (
    select
        previous_span_candidates.plan_year,
        previous_span_candidates.target_code,
        previous_span_candidates.as_of_month,
        previous_span_candidates.previous_month,
        case
            -- a ratio of flows keeps its level; an amount is shared out over the months
            when with_current.measure = 'value'
                then
                    previous_span_candidates.previous_value
                    * with_current.covered_month / previous_span_candidates.previous_month
            else previous_span_candidates.previous_value
        end as span_value,
        previous_span_candidates.previous_month != with_current.covered_month as is_prorated
    from previous_span_candidates
    inner join with_current
        on
            previous_span_candidates.plan_year = with_current.plan_year
            and previous_span_candidates.target_code = with_current.target_code
            and previous_span_candidates.as_of_month = with_current.as_of_month
    where previous_span_candidates.pick = 1
),

final as (
    select
        with_current.*,
        previous_end.measure_value as previous_year_end,
        case
            when with_current.aggregation = 'flow' then previous_span.span_value
            else previous_same_month.measure_value
        end as previous_year_value,
        case
            when not with_current.uses_baseline then null
            when with_current.aggregation = 'flow' then previous_span.span_value
            else previous_end.measure_value
        end as baseline_value,
        coalesce(
            with_current.uses_baseline and with_current.aggregation = 'flow' and previous_span.is_prorated, false
        ) as baseline_is_prorated
    from with_current
    left join previous_span
        on
            with_current.plan_year = previous_span.plan_year
            and with_current.target_code = previous_span.target_code
            and with_current.as_of_month = previous_span.as_of_month
    left join measures as previous_same_month
        on
            with_current.plan_year = previous_same_month.plan_year
            and with_current.target_code = previous_same_month.target_code
            and with_current.plan_year - 1 = previous_same_month.measure_year
            and with_current.as_of_month = previous_same_month.as_of_month
    left join measures as previous_end
        on
            with_current.plan_year = previous_end.plan_year
            and with_current.target_code = previous_end.target_code
            and with_current.plan_year - 1 = previous_end.measure_year
            and previous_end.as_of_month = 12
            and previous_end.covered_month = 12
)

select * from final
