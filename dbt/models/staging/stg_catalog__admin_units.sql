with

source as (
    select * from {{ ref('admin_units') }}
),

final as (
    select
        unit_code,
        name_vi,
        -- the unit as a sentence names it ("xã An Sơn", "thị trấn Văn Quan", "toàn huyện")
        case unit_type
            when 'xa' then 'xã ' || name_vi
            when 'thi_tran' then lower(left(name_vi, 1)) || substr(name_vi, 2)
            else 'toàn huyện'
        end as name_in_text_vi,
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
