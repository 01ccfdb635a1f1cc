{#- The platform's code lists (seed vocabulary): one row per domain and code, with the one
    Vietnamese label and colour every consumer shows. -#}
with

source as (
    select * from {{ ref('vocabulary') }}
),

final as (
    select
        domain,
        code,
        sort_order,
        label_vi,
        label_en,
        nullif(colour, '') as colour,
        is_on_track,
        is_reached,
        weakness_rank,
        nullif(ranking_group, '') as ranking_group
    from source
)

select * from final
