with

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

final as (
    select
        unit_code,
        name_vi,
        unit_type,
        official_code,
        villages_total,
        valid_from,
        valid_to,
        successor_code
    from admin_units
)

select * from final
