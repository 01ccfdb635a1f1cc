{#- A group is reached (the vocabulary's is_reached: dat, vuot) only when every one of its
    criteria is: the decree's "cả 3 tiêu chí". Fails with each group row that says otherwise. -#}
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
    inner join statuses on groups.status = statuses.code
    where statuses.is_reached and groups.members_met != groups.members_total
)

select * from final
