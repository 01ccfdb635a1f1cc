{#- The pace and where it leads (spec "Judging in the year", rule 5), on the figures in force
    (int_target_baselines): the actual value in the target's unit (the measure, or the
    growth / increase / reduction vs baseline_value), what is expected by now
    (expected_value_now: pace_kind 'flow_level' is pro-rated by the previous year's
    seasonal share, 'level' and 'comparison' are paced by the target itself, 'no_pace'
    has none), the path the current pace leads to, capped at what is possible
    (projected_year_end, first_month_on_path), and the office's own estimate for the whole
    year beside it (office_year_estimate). int_target_status judges from here. -#}
with

baselines as (
    select * from {{ ref('int_target_baselines') }}
),

measures as (
    select * from {{ ref('int_target_measures') }}
),

year_estimates as (
    select * from {{ ref('int_target_year_estimates') }}
),

target_years as (
    select distinct
        plan_year,
        target_code
    from baselines
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
    from target_years as targets
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

with_actual as (
    select
        baselines.*,
        profile_now.year_share as share_now,
        {{ in_target_unit('baselines.kind', 'baselines.current_value', 'baselines.baseline_value') }} as actual_value
    from baselines
    left join seasonal_profile as profile_now
        on
            baselines.plan_year = profile_now.plan_year
            and baselines.target_code = profile_now.target_code
            and baselines.covered_month = profile_now.month_no
),

with_expected as (
    select
        with_actual.*,
        case
            when current_value is null then null
            when pace_kind = 'flow_level' then target_value * share_now
            when pace_kind in ('level', 'comparison') then target_value
        end as expected_value_now
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

with_projection as (
    select
        with_expected.*,
        projections.projected_year_end,
        projections.first_month_on_path,
        case measure
            when 'ratio_pct' then 100 * numerator_estimate.year_estimate / nullif(denominator_estimate.year_estimate, 0)
            when 'value' then numerator_estimate.year_estimate
        end as office_measure_estimate
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

final as (
    select
        *,
        {{ in_target_unit('kind', 'office_measure_estimate', 'previous_year_end') }} as office_year_estimate
    from with_projection
)

select * from final
