with

source as (
    select * from {{ ref('offices') }}
),

final as (
    select
        office_code,
        name_vi,
        name_en,
        email,
        submits
    from source
)

select * from final
