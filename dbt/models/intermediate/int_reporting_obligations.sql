{#- What each office owes: office x indicator x due period of every plan year (the one
    calendar of obligations; reporting/calendar.py follows the same rules and a test keeps
    them equal).

    Periods: the plan year's, at the catalog's frequency; and, for an indicator a target
    compares with the previous year (needs_baseline, numerator or denominator), that
    year as one yearly baseline period. Due on due_day of the month due_month_offset
    months after the period ends (that month's last day if shorter).

    Units in scope (rule 7): a district-level indicator is owed for the district
    (VAN_QUAN); a commune-level one by every unit valid on the period's last day within
    the scope of the targets that use it ('all': the town and the communes, 'xa': the
    communes, 'thi_tran': the town; all of them when no target uses it).

    A unit has reported a period when its figures (any version, estimate or actual)
    cover it completely:
      flows: a figure of the period or of a coarser one containing it, or figures of
        finer periods inside it covering every month (twelve months or four quarters
        cover a yearly baseline);
      stocks: a figure whose period ends on the period's last day (the value at its end:
        December, Q4 or the year for a year; March or Q1 for a quarter).
    unit_completed_at: when each unit's coverage became complete (aligned with
    unit_codes; null while incomplete). completed_at: when the last unit in scope
    completed, null while any is missing. first_received_at: the first figure of any unit
    in scope that counts towards the period.
    Rejected files: the office's quarantined or failed files received after the period
    ended and before the obligation was complete; they cannot be tied to an indicator more
    closely because nothing of them was loaded. -#}
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

versions as (
    select * from {{ ref('int_figure_versions') }}
),

files as (
    select * from {{ ref('stg_audit__ingest_files') }}
),

problems as (
    select * from {{ ref('stg_audit__ingest_problems') }}
),

plan_years as (
    select distinct plan_year from targets
),

target_indicators as (
    select
        targets.plan_year,
        used.indicator_code,
        targets.unit_scope,
        targets.needs_baseline
    from targets
    cross join
        lateral (
            values (targets.indicator_code), (targets.denominator_code)
        ) as used (indicator_code)
    where used.indicator_code is not null
),

baseline_indicators as (
    select distinct
        plan_year,
        indicator_code
    from target_indicators
    where needs_baseline
),

plan_periods as (
    select
        plan_years.plan_year,
        indicators.indicator_code,
        false as is_baseline,
        case indicators.frequency
            when 'monthly' then to_char(make_date(plan_years.plan_year, periods.period_no, 1), 'YYYY-MM')
            when 'quarterly' then plan_years.plan_year::text || '-Q' || periods.period_no::text
            else plan_years.plan_year::text
        end as period_code,
        case indicators.frequency
            when 'monthly' then 'month'
            when 'quarterly' then 'quarter'
            else 'year'
        end as period_grain,
        make_date(
            plan_years.plan_year,
            case indicators.frequency
                when 'monthly' then periods.period_no
                when 'quarterly' then periods.period_no * 3 - 2
                else 1
            end,
            1
        ) as period_start,
        (
            make_date(
                plan_years.plan_year,
                case indicators.frequency
                    when 'monthly' then periods.period_no
                    when 'quarterly' then periods.period_no * 3
                    else 12
                end,
                1
            ) + interval '1 month' - interval '1 day'
        )::date as period_end
    from plan_years
    cross join indicators
    cross join lateral generate_series(
        1,
        case indicators.frequency when 'monthly' then 12 when 'quarterly' then 4 else 1 end
    ) as periods (period_no)
),

baseline_periods as (
    select
        plan_year,
        indicator_code,
        true as is_baseline,
        (plan_year - 1)::text as period_code,
        'year' as period_grain,
        make_date(plan_year - 1, 1, 1) as period_start,
        make_date(plan_year - 1, 12, 31) as period_end
    from baseline_indicators
),

due_periods as (
    select
        owed.*,
        indicators.office_code,
        indicators.level,
        indicators.aggregation,
        (date_trunc('month', owed.period_end) + make_interval(months => indicators.due_month_offset))::date
            as due_month_start,
        indicators.due_day
    from (
        select * from plan_periods
        union all
        select * from baseline_periods
    ) as owed
    inner join indicators on owed.indicator_code = indicators.indicator_code
),

due_dates as (
    select
        due_periods.plan_year,
        due_periods.office_code,
        due_periods.indicator_code,
        due_periods.level,
        due_periods.aggregation,
        due_periods.is_baseline,
        due_periods.period_code,
        due_periods.period_grain,
        due_periods.period_start,
        due_periods.period_end,
        least(
            due_periods.due_month_start + (due_periods.due_day - 1),
            (due_periods.due_month_start + interval '1 month' - interval '1 day')::date
        ) as due_date
    from due_periods
),

obligation_units as (
    select
        due_dates.plan_year,
        due_dates.indicator_code,
        due_dates.period_code,
        due_dates.aggregation,
        due_dates.period_start,
        due_dates.period_end,
        admin_units.unit_code as admin_unit_code
    from due_dates
    inner join admin_units
        on due_dates.period_end between admin_units.valid_from and admin_units.valid_to
    where
        (due_dates.level = 'district' and admin_units.unit_type = 'huyen')
        or (
            due_dates.level = 'commune'
            and admin_units.unit_type != 'huyen'
            and (
                not exists (
                    select 1 from target_indicators
                    where
                        target_indicators.plan_year = due_dates.plan_year
                        and target_indicators.indicator_code = due_dates.indicator_code
                )
                or exists (
                    select 1 from target_indicators
                    where
                        target_indicators.plan_year = due_dates.plan_year
                        and target_indicators.indicator_code = due_dates.indicator_code
                        and target_indicators.unit_scope in ('all', admin_units.unit_type)
                )
            )
        )
),

-- a figure of the period itself or of a coarser one containing it (flows), or one ending
-- on the period's last day (stocks)
whole_cover as (
    select
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code,
        min(versions.received_at) as covered_at
    from obligation_units
    inner join versions
        on
            obligation_units.indicator_code = versions.indicator_code
            and obligation_units.admin_unit_code = versions.admin_unit_code
            and (
                (
                    obligation_units.aggregation = 'flow'
                    and obligation_units.period_start >= versions.period_start
                    and obligation_units.period_end <= versions.period_end
                )
                or (
                    obligation_units.aggregation = 'stock'
                    and obligation_units.period_end = versions.period_end
                    and versions.period_start > obligation_units.period_end - interval '1 year'
                )
            )
    group by
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code
),

-- flows: each month of the period, covered by the first figure of a finer period inside it
month_cover as (
    select
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code,
        months.month_start,
        min(versions.received_at) as covered_at
    from obligation_units
    cross join
        lateral generate_series(
            obligation_units.period_start, obligation_units.period_end, interval '1 month'
        ) as months (month_start)
    left join versions
        on
            obligation_units.indicator_code = versions.indicator_code
            and obligation_units.admin_unit_code = versions.admin_unit_code
            and obligation_units.period_start <= versions.period_start
            and obligation_units.period_end >= versions.period_end
            and months.month_start >= versions.period_start
            and months.month_start <= versions.period_end
    where obligation_units.aggregation = 'flow'
    group by
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code,
        months.month_start
),

parts_cover as (
    select
        plan_year,
        indicator_code,
        period_code,
        admin_unit_code,
        case when bool_and(covered_at is not null) then max(covered_at) end as covered_at,
        min(covered_at) as first_part_at
    from month_cover
    group by plan_year, indicator_code, period_code, admin_unit_code
),

unit_status as (
    select
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code,
        least(whole_cover.covered_at, parts_cover.covered_at) as completed_at,
        least(whole_cover.covered_at, parts_cover.first_part_at) as first_received_at
    from obligation_units
    left join whole_cover
        on
            obligation_units.plan_year = whole_cover.plan_year
            and obligation_units.indicator_code = whole_cover.indicator_code
            and obligation_units.period_code = whole_cover.period_code
            and obligation_units.admin_unit_code = whole_cover.admin_unit_code
    left join parts_cover
        on
            obligation_units.plan_year = parts_cover.plan_year
            and obligation_units.indicator_code = parts_cover.indicator_code
            and obligation_units.period_code = parts_cover.period_code
            and obligation_units.admin_unit_code = parts_cover.admin_unit_code
),

received as (
    select
        plan_year,
        indicator_code,
        period_code,
        count(*) as units_expected,
        count(completed_at) as units_reported,
        array_agg(admin_unit_code order by admin_unit_code) as unit_codes,
        array_agg(completed_at order by admin_unit_code) as unit_completed_at,
        case when count(completed_at) = count(*) then max(completed_at) end as completed_at,
        min(first_received_at) as first_received_at
    from unit_status
    group by plan_year, indicator_code, period_code
),

first_errors as (
    select distinct on (file_id)
        file_id,
        message_vi
    from problems
    where severity = 'error'
    order by file_id, problem_id
),

rejections as (
    select
        due_dates.plan_year,
        due_dates.indicator_code,
        due_dates.period_code,
        files.file_id,
        files.received_at,
        coalesce(first_errors.message_vi, files.message_vi) as reason_vi
    from due_dates
    left join received
        on
            due_dates.plan_year = received.plan_year
            and due_dates.indicator_code = received.indicator_code
            and due_dates.period_code = received.period_code
    inner join files
        on
            due_dates.office_code = files.office_code
            and files.is_rejected
            and due_dates.period_end < files.received_at
            and files.received_at < coalesce(received.completed_at, 'infinity'::timestamptz)
    left join first_errors on files.file_id = first_errors.file_id
),

rejection_summary as (
    select distinct on (plan_year, indicator_code, period_code)
        plan_year,
        indicator_code,
        period_code,
        count(*) over (partition by plan_year, indicator_code, period_code) as rejected_files,
        reason_vi as last_rejection_reason
    from rejections
    order by plan_year asc, indicator_code asc, period_code asc, received_at desc, file_id desc
),

final as (
    select
        due_dates.plan_year,
        due_dates.office_code,
        due_dates.indicator_code,
        due_dates.period_code,
        due_dates.period_grain,
        due_dates.period_start,
        due_dates.period_end,
        due_dates.is_baseline,
        due_dates.level,
        due_dates.due_date,
        coalesce(received.units_expected, 0) as units_expected,
        coalesce(received.units_reported, 0) as units_reported,
        received.unit_codes,
        received.unit_completed_at,
        received.first_received_at,
        received.completed_at,
        coalesce(rejection_summary.rejected_files, 0) as rejected_files,
        rejection_summary.last_rejection_reason
    from due_dates
    left join received
        on
            due_dates.plan_year = received.plan_year
            and due_dates.indicator_code = received.indicator_code
            and due_dates.period_code = received.period_code
    left join rejection_summary
        on
            due_dates.plan_year = rejection_summary.plan_year
            and due_dates.indicator_code = rejection_summary.indicator_code
            and due_dates.period_code = rejection_summary.period_code
)

select * from final
