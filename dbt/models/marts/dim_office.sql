with

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

final as (
    select
        office_code,
        name_vi,
        name_en,
        email,
        submits
    from offices
)

select * from final
