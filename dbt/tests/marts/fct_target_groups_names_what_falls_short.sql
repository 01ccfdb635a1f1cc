{#- A group that is not on track (the vocabulary's is_on_track) names the criteria that fall
    short, so the leaders read why. Fails with each group row that names none. -#}
with

groups as (
    select * from {{ ref('fct_target_groups') }}
),

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

final as (
    select groups.*
    from groups
    left join statuses on groups.status = statuses.code
    where not coalesce(statuses.is_on_track, false) and groups.short_criteria_vi is null
)

select * from final
