{#- Office x indicator x due period, judged on var('as_of_date') (default: the latest day
    any file was received, else today). Received dates are compared in the server's time
    zone; a figure first received after the as-of date counts as not yet received.
      dung_han      received on or before the due date;
      tre_han       received after it (days_late = days after the due date);
      chua_nop      not received and the due date has passed (days_late = days overdue);
      chua_den_han  not received and not yet due. -#}
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

as_of as (
    select {{ as_of_date_expr(ref('stg_audit__ingest_files')) }} as as_of_date
),

judged as (
    select
        obligations.*,
        offices.name_vi as office_name,
        case
            when obligations.first_received_at::date <= as_of.as_of_date then obligations.first_received_at
        end as received_by_as_of,
        as_of.as_of_date
    from obligations
    cross join as_of
    left join offices on obligations.office_code = offices.office_code
),

final as (
    select
        plan_year,
        office_code,
        office_name,
        indicator_code,
        period_code,
        due_date,
        received_by_as_of as first_received_at,
        case
            when received_by_as_of is not null then greatest(received_by_as_of::date - due_date, 0)
            when due_date < as_of_date then as_of_date - due_date
        end as days_late,
        case
            when received_by_as_of is not null and received_by_as_of::date <= due_date then 'dung_han'
            when received_by_as_of is not null then 'tre_han'
            when due_date < as_of_date then 'chua_nop'
            else 'chua_den_han'
        end as compliance_status,
        rejected_files,
        last_rejection_reason
    from judged
)

select * from final
