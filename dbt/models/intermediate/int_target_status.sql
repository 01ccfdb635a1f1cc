{#- Where each target stands as of each month (spec "Judging in the year", rules 4 and 6),
    on the pace and projection of int_target_pace: a zero baseline, a figure missing or
    not yet due, whether the target is met and can no longer be undone, the status, the
    month it was (or will be) reached, and the texts that name a missing figure or explain
    a status. One row per plan year x target x as-of month, in the columns of the mart
    fct_target_attainment (which adds the labels); values are in the target's own unit. -#}
with

pace as (
    select * from {{ ref('int_target_pace') }}
),

with_zero as (
    select
        pace.*,
        -- rule 4: a zero baseline
        case
            when current_value is null or baseline_value is null or baseline_value != 0 then null
            when kind = 'growth_range' then 'growth_from_zero'
            when kind in ('reduce_by_points', 'reduce_by_pct') and current_value = 0 then 'zero_to_zero'
            when kind = 'reduce_by_pct' then 'zero_to_more'
        end as zero_case
    from pace
),

with_flags as (
    select
        with_zero.*,
        -- rule 4: a figure not yet due is not missing
        (current_value is null and not is_before_first_due)
        or (current_value is not null and uses_baseline and baseline_value is null) as is_missing,
        current_value is null and is_before_first_due as is_not_yet_due,
        case
            when zero_case = 'zero_to_zero' then true
            when zero_case in ('zero_to_more', 'growth_from_zero') then false
            else coalesce({{ meets_target('kind', 'actual_value', 'target_value') }}, false)
        end as is_met,
        as_of_month = 12 and covered_month = 12 and is_final as is_year_closed,
        -- rule 6: before the year is closed, only these cannot be undone once reached
        (as_of_month = 12 and covered_month = 12 and is_final)
        or pace_kind = 'flow_level'
        or kind = 'increase_by' as is_reached_for_good
    from with_zero
),

judged as (
    select
        with_flags.*,
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
    from with_flags
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
