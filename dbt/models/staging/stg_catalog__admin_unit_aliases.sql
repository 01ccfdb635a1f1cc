with

source as (
    select * from {{ ref('admin_unit_aliases') }}
),

final as (
    select
        alias,
        unit_code,
        note
    from source
)

select * from final
