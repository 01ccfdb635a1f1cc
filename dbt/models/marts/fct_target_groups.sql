{#- One row per plan year x group of targets x as-of month: one verdict for targets the
    decree sets together (the catalog's seed target_groups lists them). XH07 "Giảm tai nạn
    giao thông cả 3 tiêu chí từ 5%" is met only when all three criteria are (XH07a cases,
    XH07b deaths, XH07c injuries): the group's status is the weakest of its members'
    (int_target_status, rules 1-6), a member that missed the closed year (khong_dat)
    decides it, then a missing figure (thieu_so_lieu); short_criteria_vi names the
    members that fall short. Status labels, the order of weakness and what counts as
    met or on track are the vocabulary seed's. -#}
with

attainment as (
    select * from {{ ref('int_target_status') }}
),

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

-- The groups the decree sets (one verdict for all their members): the catalog's.
group_members as (
    select * from {{ ref('target_groups') }}
),

group_sizes as (
    select
        plan_year,
        group_code,
        count(*) as members_total
    from group_members
    group by plan_year, group_code
),

members as (
    select
        attainment.plan_year,
        group_members.group_code,
        group_members.group_name_vi,
        attainment.target_code,
        attainment.as_of_period,
        attainment.as_of_date,
        attainment.status,
        statuses.label_vi as status_vi,
        statuses.is_on_track,
        attainment.missing_figure,
        targets.sort_order,
        coalesce(indicators.name_vi, targets.name_vi, attainment.target_code) as criterion_vi,
        statuses.is_reached,
        -- weakest first (the vocabulary's weakness_rank): a missed year decides, then a
        -- missing figure, then the pace
        statuses.weakness_rank as status_rank
    from attainment
    inner join group_members
        on
            attainment.plan_year = group_members.plan_year
            and attainment.target_code = group_members.target_code
    left join targets
        on
            attainment.plan_year = targets.plan_year
            and attainment.target_code = targets.target_code
    left join indicators on targets.indicator_code = indicators.indicator_code
    left join statuses on attainment.status = statuses.code
),

grouped as (
    select
        members.plan_year,
        members.group_code,
        members.group_name_vi,
        members.as_of_period,
        members.as_of_date,
        group_sizes.members_total,
        count(*) as members_judged,
        count(*) filter (where members.is_reached) as members_met,
        count(*) filter (where members.is_on_track) as members_on_track,
        min(members.status_rank) as status_rank,
        string_agg(
            members.target_code, ', ' order by members.sort_order, members.target_code
        ) filter (where not members.is_on_track) as short_target_codes,
        string_agg(
            members.criterion_vi || ' (' || members.target_code || '): ' || members.status_vi, '; '
            order by members.sort_order, members.target_code
        ) filter (where not members.is_on_track) as short_criteria_vi,
        string_agg(members.missing_figure, '; ' order by members.sort_order, members.target_code)
            as missing_figure
    from members
    inner join group_sizes
        on
            members.plan_year = group_sizes.plan_year
            and members.group_code = group_sizes.group_code
    group by
        members.plan_year,
        members.group_code,
        members.group_name_vi,
        members.as_of_period,
        members.as_of_date,
        group_sizes.members_total
),

with_status as (
    select
        grouped.*,
        case
            -- a member the catalog does not carry cannot be judged
            when grouped.members_judged < grouped.members_total then 'thieu_so_lieu'
            else weakest.code
        end as status
    from grouped
    left join statuses as weakest on grouped.status_rank = weakest.weakness_rank
),

final as (
    select
        with_status.plan_year,
        with_status.group_code,
        with_status.group_name_vi,
        with_status.as_of_period,
        with_status.as_of_date,
        with_status.status,
        statuses.label_vi as status_vi,
        with_status.members_total,
        with_status.members_met,
        with_status.members_on_track,
        with_status.short_target_codes,
        case
            when with_status.members_judged < with_status.members_total
                then
                    'Thiếu ' || (with_status.members_total - with_status.members_judged) || '/'
                    || with_status.members_total || ' tiêu chí trong danh mục chỉ tiêu'
            else with_status.short_criteria_vi
        end as short_criteria_vi,
        with_status.missing_figure
    from with_status
    left join statuses on with_status.status = statuses.code
)

select * from final
