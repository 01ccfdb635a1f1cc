with

source as (
    select * from {{ source('audit', 'reminders') }}
),

final as (
    select
        reminder_id,
        sent_on,
        office_code,
        indicator_code,
        period_code,
        due_date,
        recipient,
        sent_at
    from source
)

select * from final
