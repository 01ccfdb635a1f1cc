with

source as (
    select * from {{ ref('admin_units') }}
),

final as (
    select
        unit_code,
        name_vi,
        unit_type,
        nullif(official_code, '') as official_code,
        nullif(parent_code, '') as parent_code,
        villages_total,
        valid_from,
        valid_to,
        nullif(successor_code, '') as successor_code
    from source
)

select * from final
