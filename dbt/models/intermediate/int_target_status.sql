{#- Where each target stands as of each month, by rules 1-6 of the spec's "Judging in the
    year": one row per plan year x target x as-of month, in the columns of the mart
    fct_target_attainment (which adds the labels); values are in the target's own unit
    (actual_value: the measure, or the growth / increase / reduction vs baseline_value).
    Pace (expected_value_now): pace_kind 'flow_level' (at_least / more_than of a flow
    amount) is pro-rated by the previous year's seasonal share; 'level' (rates, ratios of
    flows, stocks) and 'comparison' (growth, reductions) are paced by the target itself;
    'no_pace' (increase_by, assessment) has none. -#}
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

measures as (
    select * from {{ ref('int_target_measures') }}
),

year_estimates as (
    select * from {{ ref('int_target_year_estimates') }}
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

-- Share of the previous year's total reached by each month (flows): the seasonal profile
-- where the previous year covers that month exactly, the calendar share otherwise.
seasonal_profile as (
    select
        targets.plan_year,
        targets.target_code,
        months.month_no,
        coalesce(
            case
                when
                    previous_month.covered_month = months.month_no
                    and previous_year.covered_month = 12
                    and previous_year.measure_value > 0
                    then previous_month.measure_value / previous_year.measure_value
            end,
            months.month_no / 12.0
        ) as year_share
    from targets
    cross join generate_series(1, 12) as months (month_no)
    left join measures as previous_month
        on
            targets.plan_year = previous_month.plan_year
            and targets.target_code = previous_month.target_code
            and targets.plan_year - 1 = previous_month.measure_year
            and months.month_no = previous_month.as_of_month
    left join measures as previous_year
        on
            targets.plan_year = previous_year.plan_year
            and targets.target_code = previous_year.target_code
            and targets.plan_year - 1 = previous_year.measure_year
            and previous_year.as_of_month = 12
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

with_baseline as (
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
        ) as baseline_is_prorated,
        profile_now.year_share as share_now
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
    left join seasonal_profile as profile_now
        on
            with_current.plan_year = profile_now.plan_year
            and with_current.target_code = profile_now.target_code
            and with_current.covered_month = profile_now.month_no
),

with_actual as (
    select
        with_baseline.*,
        {{ in_target_unit('kind', 'current_value', 'baseline_value') }} as actual_value,
        -- rule 4: a zero baseline
        case
            when current_value is null or baseline_value is null or baseline_value != 0 then null
            when kind = 'growth_range' then 'growth_from_zero'
            when kind in ('reduce_by_points', 'reduce_by_pct') and current_value = 0 then 'zero_to_zero'
            when kind = 'reduce_by_pct' then 'zero_to_more'
        end as zero_case
    from with_baseline
),

with_expected as (
    select
        with_actual.*,
        -- rule 4: a figure not yet due is not missing
        (current_value is null and not is_before_first_due)
        or (current_value is not null and uses_baseline and baseline_value is null) as is_missing,
        current_value is null and is_before_first_due as is_not_yet_due,
        case
            when zero_case = 'zero_to_zero' then true
            when zero_case in ('zero_to_more', 'growth_from_zero') then false
            else coalesce({{ meets_target('kind', 'actual_value', 'target_value') }}, false)
        end as is_met,
        case
            when current_value is null then null
            when pace_kind = 'flow_level' then target_value * share_now
            when pace_kind in ('level', 'comparison') then target_value
        end as expected_value_now,
        as_of_month = 12 and covered_month = 12 and is_final as is_year_closed,
        -- rule 6: before the year is closed, only these cannot be undone once reached
        (as_of_month = 12 and covered_month = 12 and is_final)
        or pace_kind = 'flow_level'
        or kind = 'increase_by' as is_reached_for_good
    from with_actual
),

-- The path the current pace leads to, month by month (same unit as actual_value).
raw_path as (
    select
        with_expected.plan_year,
        with_expected.target_code,
        with_expected.as_of_month,
        months.month_no,
        kind,
        target_value,
        baseline_value,
        is_percentage_level,
        case
            when pace_kind = 'flow_level'
                then actual_value * profile.year_share / nullif(share_now, 0)
            when
                pace_kind = 'level'
                and aggregation = 'stock'
                and previous_year_end is not null
                then
                    previous_year_end
                    + (actual_value - previous_year_end)
                    * months.month_no / covered_month
            when kind = 'reduce_by_points'
                then actual_value * months.month_no / covered_month
            else actual_value
        end as path_value
    from with_expected
    cross join generate_series(1, 12) as months (month_no)
    inner join seasonal_profile as profile
        on
            with_expected.plan_year = profile.plan_year
            and with_expected.target_code = profile.target_code
            and months.month_no = profile.month_no
    where with_expected.actual_value is not null and with_expected.covered_month > 0
),

-- Never past what is possible (issue 15 J): no percentage level outside 0-100, no
-- reduction larger than the baseline or than 100 %.
pace_path as (
    select
        plan_year,
        target_code,
        as_of_month,
        month_no,
        kind,
        target_value,
        case
            when is_percentage_level then least(greatest(path_value, 0), 100)
            when kind = 'reduce_by_points' then least(path_value, baseline_value)
            when kind = 'reduce_by_pct' then least(path_value, 100)
            else path_value
        end as path_value
    from raw_path
),

projections as (
    select
        plan_year,
        target_code,
        as_of_month,
        max(path_value) filter (where month_no = 12) as projected_year_end,
        min(month_no) filter (where {{ meets_target('kind', 'path_value', 'target_value') }}) as first_month_on_path
    from pace_path
    group by plan_year, target_code, as_of_month
),

judged as (
    select
        with_expected.*,
        projections.projected_year_end,
        projections.first_month_on_path,
        case measure
            when 'ratio_pct' then 100 * numerator_estimate.year_estimate / nullif(denominator_estimate.year_estimate, 0)
            when 'value' then numerator_estimate.year_estimate
        end as office_measure_estimate,
        case
            when is_missing then 'thieu_so_lieu'
            when is_not_yet_due then 'chua_dat'
            when zero_case = 'growth_from_zero' then 'chua_dat'
            when
                is_met and is_reached_for_good
                and coalesce({{ exceeds_target('kind', 'actual_value', 'target_value', 'target_value_high') }}, false)
                then 'vuot'
            when is_met and is_reached_for_good then 'dat'
            when is_year_closed then 'khong_dat'
            when is_met then 'dung_tien_do'
            when pace_kind = 'no_pace' then 'chua_dat'
            when
                pace_kind = 'flow_level'
                and actual_value >= expected_value_now
                then 'dung_tien_do'
            else 'cham_tien_do'
        end as status
    from with_expected
    left join projections
        on
            with_expected.plan_year = projections.plan_year
            and with_expected.target_code = projections.target_code
            and with_expected.as_of_month = projections.as_of_month
    left join year_estimates as numerator_estimate
        on
            with_expected.plan_year = numerator_estimate.period_year
            and with_expected.indicator_code = numerator_estimate.indicator_code
    left join year_estimates as denominator_estimate
        on
            with_expected.plan_year = denominator_estimate.period_year
            and with_expected.denominator_code = denominator_estimate.indicator_code
),

-- Runs of months in which the target is met: a month not met starts a new run.
met_runs as (
    select
        judged.*,
        judged.is_met and not judged.is_missing and not judged.is_not_yet_due as is_met_now,
        count(*) filter (where not judged.is_met or judged.is_missing or judged.is_not_yet_due) over (
            partition by judged.plan_year, judged.target_code
            order by judged.as_of_month
            rows between unbounded preceding and current row
        ) as run_number
    from judged
),

with_month_reached as (
    select
        met_runs.*,
        case
            -- met now: the first month of the run of met months that lasts until now (a
            -- month met earlier but lost since does not count)
            when is_met_now
                then min(case when is_met_now then as_of_month end) over (
                    partition by plan_year, target_code, run_number
                )
            when pace_kind != 'no_pace' and first_month_on_path > covered_month
                then first_month_on_path
        end as month_reached,
        {{ in_target_unit('kind', 'office_measure_estimate', 'previous_year_end') }} as office_year_estimate,
        case
            when is_missing and current_value is null
                then
                    'Thiếu số liệu ' || figure_names_vi
                    || ' đến tháng ' || as_of_month || '/' || plan_year
            when is_missing and aggregation = 'flow'
                then
                    'Thiếu số liệu ' || figure_names_vi || ' cùng kỳ năm ' || (plan_year - 1)
                    || ' (lũy kế đến tháng ' || covered_month || '/' || (plan_year - 1) || ')'
            when is_missing
                then 'Thiếu số liệu ' || figure_names_vi || ' cuối năm ' || (plan_year - 1)
        end as missing_figure,
        case
            when zero_case = 'growth_from_zero' then 'Số năm trước bằng 0 nên không tính được tốc độ tăng trưởng'
            when zero_case = 'zero_to_zero' then 'Năm trước và năm nay đều bằng 0'
            when zero_case = 'zero_to_more' then 'Năm trước bằng 0, năm nay tăng lên'
            when is_not_yet_due
                then
                    'Chưa đến hạn nộp số liệu kỳ đầu tiên (' || first_due_period_vi || ', hạn nộp ngày '
                    || to_char(first_due_date, 'DD/MM/YYYY') || ')'
        end as status_note
    from met_runs
),

final as (
    select
        plan_year,
        target_code,
        area,
        as_of_period,
        as_of_date,
        round(actual_value, 4) as actual_value,
        target_value,
        target_value_high,
        round(baseline_value, 4) as baseline_value,
        baseline_is_prorated,
        round(actual_value / nullif(target_value, 0), 4) as attainment_ratio,
        status,
        missing_figure,
        status_note,
        round(expected_value_now, 4) as expected_value_now,
        round(projected_year_end, 4) as projected_year_end,
        round(office_year_estimate, 4) as office_year_estimate,
        to_char(make_date(plan_year, month_reached, 1), 'YYYY-MM') as projected_month_reached,
        round(current_value, 4) as measure_value,
        round(previous_year_value, 4) as previous_year_value,
        round(current_value - previous_year_value, 4) as change_vs_previous_year,
        case
            when measure = 'value'
                then round(100 * (current_value / nullif(previous_year_value, 0) - 1), 4)
        end as change_vs_previous_year_pct,
        covered_month,
        is_final,
        last_received_at,
        units_reported,
        units_expected,
        round(units_reported::numeric / nullif(units_expected, 0), 4) as completeness_ratio
    from with_month_reached
)

select * from final
