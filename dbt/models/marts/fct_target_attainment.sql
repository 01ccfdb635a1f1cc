{#- One row per plan year x target x as-of month. See _marts__models.yml for the rules;
    in short, every value below is in the target's own unit:
      actual_value     at_least / more_than / assessment: the measure (year to date for
                       flows, latest for stocks); growth_range: 100 x (now / baseline - 1);
                       increase_by: now - baseline; reduce_by_points: baseline - now;
                       reduce_by_pct: 100 x (baseline - now) / baseline.
      baseline_value   the previous year's measure over the same span (flows: the same
                       covered months; stocks: the value at the end of the previous year).
      attainment_ratio actual_value / target_value.
      expected_value_now  the steady path at the last month covered: flows pro rata (the
                       previous year's seasonal profile where it exists); stocks on a
                       line from last year's end value to the target (the target itself
                       without it); increase_by and reduce_by_points pro rata from 0;
                       growth_range, reduce_by_pct and assessment: the target itself. -#}
{{
    config(
        indexes=[
            {'columns': ['plan_year', 'as_of_period']},
            {'columns': ['target_code']},
            {'columns': ['status']},
        ],
    )
}}

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

measures as (
    select * from {{ ref('int_target_measures') }}
),

target_grid as (
    select
        targets.plan_year,
        targets.target_code,
        targets.sort_order,
        targets.area,
        targets.kind,
        targets.target_value,
        targets.target_value_high,
        indicators.aggregation,
        as_of_months.as_of_month,
        as_of_months.as_of_period,
        as_of_months.as_of_date,
        targets.needs_baseline
        or targets.kind in ('growth_range', 'increase_by', 'reduce_by_points', 'reduce_by_pct') as uses_baseline
    from targets
    inner join indicators on targets.indicator_code = indicators.indicator_code
    inner join as_of_months on targets.plan_year = as_of_months.plan_year
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

with_baseline as (
    select
        with_current.*,
        previous_end.measure_value as previous_year_end,
        case
            when not with_current.uses_baseline then null
            when with_current.aggregation = 'flow' then previous_span.measure_value
            else previous_end.measure_value
        end as baseline_value,
        profile_now.year_share as share_now
    from with_current
    left join measures as previous_span
        on
            with_current.plan_year = previous_span.plan_year
            and with_current.target_code = previous_span.target_code
            and with_current.plan_year - 1 = previous_span.measure_year
            and with_current.covered_month = previous_span.as_of_month
            -- the same span only: the previous year must cover exactly the same months
            and with_current.covered_month = previous_span.covered_month
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
        case kind
            when 'growth_range' then 100 * (current_value / nullif(baseline_value, 0) - 1)
            when 'increase_by' then current_value - baseline_value
            when 'reduce_by_points' then baseline_value - current_value
            when 'reduce_by_pct' then 100 * (baseline_value - current_value) / nullif(baseline_value, 0)
            else current_value
        end as actual_value
    from with_baseline
),

with_expected as (
    select
        with_actual.*,
        case
            when actual_value is null then null
            when kind in ('at_least', 'more_than') and aggregation = 'flow' then target_value * share_now
            when kind in ('at_least', 'more_than') and previous_year_end is not null
                then previous_year_end + (target_value - previous_year_end) * covered_month / 12.0
            when kind in ('increase_by', 'reduce_by_points') then target_value * covered_month / 12.0
            else target_value
        end as expected_value_now,
        as_of_month = 12 and covered_month = 12 and is_final as is_year_closed
    from with_actual
),

-- The path the current pace leads to, month by month (same unit as actual_value).
pace_path as (
    select
        with_expected.plan_year,
        with_expected.target_code,
        with_expected.as_of_month,
        months.month_no,
        case
            when with_expected.kind in ('at_least', 'more_than') and with_expected.aggregation = 'flow'
                then with_expected.actual_value * profile.year_share / nullif(with_expected.share_now, 0)
            when with_expected.kind in ('at_least', 'more_than') and with_expected.previous_year_end is not null
                then
                    with_expected.previous_year_end
                    + (with_expected.actual_value - with_expected.previous_year_end)
                    * months.month_no / with_expected.covered_month
            when with_expected.kind = 'reduce_by_points'
                then with_expected.actual_value * months.month_no / with_expected.covered_month
            else with_expected.actual_value
        end as path_value,
        with_expected.kind,
        with_expected.target_value
    from with_expected
    cross join generate_series(1, 12) as months (month_no)
    inner join seasonal_profile as profile
        on
            with_expected.plan_year = profile.plan_year
            and with_expected.target_code = profile.target_code
            and months.month_no = profile.month_no
    where with_expected.actual_value is not null and with_expected.covered_month > 0
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
        coalesce(
            {{ meets_target('with_expected.kind', 'with_expected.actual_value', 'with_expected.target_value') }}, false
        )
            as is_met,
        case
            when with_expected.actual_value is null then 'thieu_so_lieu'
            when
                {{ meets_target('with_expected.kind', 'with_expected.actual_value', 'with_expected.target_value') }}
                and {{ exceeds_target('with_expected.kind', 'with_expected.actual_value',
                    'with_expected.target_value', 'with_expected.target_value_high') }}
                then 'vuot'
            when {{ meets_target('with_expected.kind', 'with_expected.actual_value', 'with_expected.target_value') }}
                then 'dat'
            when with_expected.is_year_closed then 'khong_dat'
            when with_expected.actual_value >= with_expected.expected_value_now then 'dung_tien_do'
            else 'cham_tien_do'
        end as status
    from with_expected
    left join projections
        on
            with_expected.plan_year = projections.plan_year
            and with_expected.target_code = projections.target_code
            and with_expected.as_of_month = projections.as_of_month
),

with_month_reached as (
    select
        judged.*,
        case
            when judged.is_met
                then min(case when judged.is_met then judged.as_of_month end) over (
                    partition by judged.plan_year, judged.target_code
                    order by judged.as_of_month
                    rows between unbounded preceding and current row
                )
            when judged.first_month_on_path > judged.covered_month then judged.first_month_on_path
        end as month_reached
    from judged
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
        round(actual_value / nullif(target_value, 0), 4) as attainment_ratio,
        status,
        {{ status_label('status') }} as status_vi,
        round(expected_value_now, 4) as expected_value_now,
        round(projected_year_end, 4) as projected_year_end,
        to_char(make_date(plan_year, month_reached, 1), 'YYYY-MM') as projected_month_reached,
        last_received_at,
        units_reported,
        units_expected,
        round(units_reported::numeric / nullif(units_expected, 0), 4) as completeness_ratio
    from with_month_reached
)

select * from final
