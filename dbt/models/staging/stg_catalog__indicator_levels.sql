with

source as (
    select * from {{ ref('indicator_levels') }}
),

final as (
    select
        indicator_code,
        unit_type,
        value_min,
        value_max
    from source
)

select * from final
