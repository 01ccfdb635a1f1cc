{#- What each office owes: office x indicator x due period of every plan year, and how
    far each is met.

    The calendar itself (which periods, which units, which due date) is not computed
    here: it is the seeds reporting_obligations and reporting_obligation_units, generated
    by core.calendar (python -m core.calendar), the one place its rules are stated and
    the one the reminders and templates use.

    A unit has reported a period when its figures (any version, estimate or actual)
    cover it completely (core.calendar.covers states the same rule for the reminders):
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

due_dates as (
    select * from {{ ref('reporting_obligations') }}
),

owing_units as (
    select * from {{ ref('reporting_obligation_units') }}
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

-- The cover rules below read only a figure's indicator, unit and period, and keep the
-- earliest receipt: so each unit's period needs only its first receipt, whatever versions
-- (estimates, actuals, corrections) followed. Folding the versions first keeps the range
-- joins to one row per period however long the history (1000 versions of every figure
-- took them 177 s on two cores; see bench/RESULTS.md).
first_receipts as (
    select
        indicator_code,
        admin_unit_code,
        period_start,
        period_end,
        min(received_at) as received_at
    from versions
    group by indicator_code, admin_unit_code, period_start, period_end
),

obligation_units as (
    select
        due_dates.plan_year,
        due_dates.indicator_code,
        due_dates.period_code,
        due_dates.aggregation,
        due_dates.period_start,
        due_dates.period_end,
        owing_units.admin_unit_code
    from due_dates
    inner join owing_units
        on
            due_dates.plan_year = owing_units.plan_year
            and due_dates.indicator_code = owing_units.indicator_code
            and due_dates.period_code = owing_units.period_code
),

-- a figure of the period itself or of a coarser one containing it (flows), or one ending
-- on the period's last day (stocks)
whole_cover as (
    select
        obligation_units.plan_year,
        obligation_units.indicator_code,
        obligation_units.period_code,
        obligation_units.admin_unit_code,
        min(first_receipts.received_at) as covered_at
    from obligation_units
    inner join first_receipts
        on
            obligation_units.indicator_code = first_receipts.indicator_code
            and obligation_units.admin_unit_code = first_receipts.admin_unit_code
            and (
                (
                    obligation_units.aggregation = 'flow'
                    and obligation_units.period_start >= first_receipts.period_start
                    and obligation_units.period_end <= first_receipts.period_end
                )
                or (
                    obligation_units.aggregation = 'stock'
                    and obligation_units.period_end = first_receipts.period_end
                    and first_receipts.period_start > obligation_units.period_end - interval '1 year'
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
        min(first_receipts.received_at) as covered_at
    from obligation_units
    cross join
        lateral generate_series(
            obligation_units.period_start, obligation_units.period_end, interval '1 month'
        ) as months (month_start)
    left join first_receipts
        on
            obligation_units.indicator_code = first_receipts.indicator_code
            and obligation_units.admin_unit_code = first_receipts.admin_unit_code
            and obligation_units.period_start <= first_receipts.period_start
            and obligation_units.period_end >= first_receipts.period_end
            and months.month_start >= first_receipts.period_start
            and months.month_start <= first_receipts.period_end
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
        due_dates.period_label_vi,
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
