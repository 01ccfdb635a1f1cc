{#- Each group verdict agrees with the vocabulary's flags for its status. Fails with every
    group row that breaks one of the two rules, naming the rule:
    - reached (is_reached: dat, vuot) only when every criterion is: the decree's "cả 3 tiêu chí";
    - not on track (is_on_track) only with the criteria that fall short named, so the
      leaders read why. -#}
with

groups as (
    select * from {{ ref('fct_target_groups') }}
),

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

judged as (
    select
        groups.*,
        case
            when statuses.is_reached and groups.members_met != groups.members_total
                then 'reached without every criterion'
            when not coalesce(statuses.is_on_track, false) and groups.short_criteria_vi is null
                then 'not on track without the criteria that fall short'
        end as broken_rule
    from groups
    left join statuses on groups.status = statuses.code
),

final as (
    select * from judged
    where broken_rule is not null
)

select * from final
