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
        frequency,
        due_day,
        due_month_offset,
        office_code,
        cumulative
    from source
)

select * from final
