with

source as (
    select * from {{ ref('indicators') }}
),

final as (
    select
        indicator_code,
        name_vi,
        name_en,
        unit,
        level,
        aggregation,
        value_kind,
        value_min,
        value_max,
        frequency,
        due_day,
        due_month_offset,
        office_code
    from source
)

select * from final
