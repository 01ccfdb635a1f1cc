{#- Office x indicator x due period (the plan year's and the previous year's baseline),
    judged on var('as_of_date') (default: the latest day any file was received, else
    today). Received dates are Vietnam's calendar days (as in the reminders); a figure
    received after the as-of date counts as not yet received.

    The obligations, their due dates and period labels are the calendar's (core.calendar,
    through int_reporting_obligations); nothing here computes a date or a label.

    An obligation over communes is met only when every unit in its scope has reported the
    whole period (rule 7, see int_reporting_obligations); until then it is not met, and
    units_missing / missing_units_vi say who is missing.
      dung_han      complete on or before the due date;
      tre_han       complete after it (days_late = days after the due date);
      chua_nop      incomplete (nothing or only some units) and the due date has passed
                    (days_late = days overdue);
      chua_den_han  incomplete and not yet due. -#}
{{
    config(
        indexes=[
            {'columns': ['plan_year', 'office_code']},
            {'columns': ['compliance_status']},
        ],
    )
}}

with

obligations as (
    select * from {{ ref('int_reporting_obligations') }}
),

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

as_of as (
    select {{ as_of_date_expr(ref('stg_audit__ingest_files')) }} as as_of_date
),

unit_rows as (
    select
        obligations.plan_year,
        obligations.indicator_code,
        obligations.period_code,
        units.admin_unit_code,
        units.unit_no,
        (units.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= as_of.as_of_date as is_reported,
        case admin_units.unit_type
            when 'xa' then 'xã ' || admin_units.name_vi
            when 'thi_tran' then lower(left(admin_units.name_vi, 1)) || substr(admin_units.name_vi, 2)
            else 'toàn huyện'
        end as unit_name_vi
    from obligations
    cross join as_of
    cross join
        lateral unnest(obligations.unit_codes, obligations.unit_completed_at)
        with ordinality as units (admin_unit_code, completed_at, unit_no)
    left join admin_units on units.admin_unit_code = admin_units.unit_code
),

units_by_as_of as (
    select
        plan_year,
        indicator_code,
        period_code,
        count(*) filter (where is_reported) as units_reported,
        string_agg(unit_name_vi, ', ' order by unit_no) filter (where not is_reported or is_reported is null)
            as missing_names
    from unit_rows
    group by plan_year, indicator_code, period_code
),

judged as (
    select
        obligations.*,
        offices.name_vi as office_name,
        case
            when (obligations.first_received_at at time zone 'Asia/Ho_Chi_Minh')::date <= as_of.as_of_date
                then obligations.first_received_at
        end as received_by_as_of,
        case
            when (obligations.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= as_of.as_of_date
                then obligations.completed_at
        end as completed_by_as_of,
        case
            when (obligations.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= as_of.as_of_date
                then (obligations.completed_at at time zone 'Asia/Ho_Chi_Minh')::date
        end as completed_on,
        coalesce(units_by_as_of.units_reported, 0) as units_reported_by_as_of,
        units_by_as_of.missing_names,
        as_of.as_of_date
    from obligations
    cross join as_of
    left join offices on obligations.office_code = offices.office_code
    left join units_by_as_of
        on
            obligations.plan_year = units_by_as_of.plan_year
            and obligations.indicator_code = units_by_as_of.indicator_code
            and obligations.period_code = units_by_as_of.period_code
),

final as (
    select
        plan_year,
        office_code,
        office_name,
        indicator_code,
        period_code,
        period_label_vi,
        period_grain,
        period_end,
        is_baseline,
        due_date,
        received_by_as_of as first_received_at,
        completed_by_as_of as completed_at,
        units_expected,
        units_reported_by_as_of as units_reported,
        units_expected - units_reported_by_as_of as units_missing,
        case
            when units_expected = units_reported_by_as_of then null
            when level = 'district' then 'Chưa có số liệu toàn huyện'
            when units_reported_by_as_of = 0 then 'Chưa có số liệu của cả ' || units_expected || ' đơn vị'
            else
                'Còn thiếu ' || (units_expected - units_reported_by_as_of) || '/' || units_expected
                || ' đơn vị: ' || missing_names
        end as missing_units_vi,
        case
            when completed_on is not null then greatest(completed_on - due_date, 0)
            when due_date < as_of_date then as_of_date - due_date
        end as days_late,
        case
            when completed_on <= due_date then 'dung_han'
            when completed_on is not null then 'tre_han'
            when due_date < as_of_date then 'chua_nop'
            else 'chua_den_han'
        end as compliance_status,
        rejected_files,
        last_rejection_reason
    from judged
)

select * from final
