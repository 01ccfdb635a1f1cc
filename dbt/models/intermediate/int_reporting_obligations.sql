{#- What each office owes: office x indicator x due period of every plan year, from the
    catalog's frequency, due_day and due_month_offset (due on due_day of the month
    due_month_offset months after the period ends, or that month's last day if shorter).

    first_received_at: the first figure ever received for the period (any version, any
    unit, estimate or actual), counting also a finer period that ends on the same day
    (e.g. the March figure for Q1). Rejected files: the office's quarantined or failed
    files received after the period ended and before the first accepted figure; they
    cannot be tied to an indicator more closely because nothing of them was loaded. -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
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

due_periods as (
    select
        plan_years.plan_year,
        indicators.indicator_code,
        indicators.office_code,
        indicators.due_day,
        indicators.due_month_offset,
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

with_due_date as (
    select
        due_periods.*,
        (
            date_trunc('month', due_periods.period_end) + make_interval(months => due_periods.due_month_offset)
        )::date as due_month_start
    from due_periods
),

due_dates as (
    select
        with_due_date.*,
        least(
            with_due_date.due_month_start + (with_due_date.due_day - 1),
            (with_due_date.due_month_start + interval '1 month' - interval '1 day')::date
        ) as due_date
    from with_due_date
),

received as (
    select
        due_dates.plan_year,
        due_dates.indicator_code,
        due_dates.period_code,
        min(versions.received_at) as first_received_at
    from due_dates
    inner join versions
        on
            due_dates.indicator_code = versions.indicator_code
            and (
                due_dates.period_code = versions.period_code
                or (
                    due_dates.period_end = versions.period_end
                    and versions.period_start > due_dates.period_end - interval '1 year'
                )
            )
    group by due_dates.plan_year, due_dates.indicator_code, due_dates.period_code
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
            and files.received_at < coalesce(received.first_received_at, 'infinity'::timestamptz)
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
        due_dates.period_end,
        due_dates.due_date,
        received.first_received_at,
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
