{#- One row per plan year x group of targets x as-of month: one verdict for targets the
    decree sets together (the catalog's seed target_groups lists them). XH07 "Giảm tai nạn
    giao thông cả 3 tiêu chí từ 5%" is met only when all three criteria are (XH07a cases,
    XH07b deaths, XH07c injuries): the group's status is the weakest of its members'
    (fct_target_attainment, rules 1-6), a member that missed the closed year (khong_dat)
    decides it, then a missing figure (thieu_so_lieu); short_criteria_vi names the
    members that fall short. -#}
with

attainment as (
    select * from {{ ref('fct_target_attainment') }}
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
        attainment.status_vi,
        attainment.missing_figure,
        targets.sort_order,
        coalesce(indicators.name_vi, targets.name_vi, attainment.target_code) as criterion_vi,
        -- weakest first: a missed year decides, then a missing figure, then the pace
        case attainment.status
            when 'khong_dat' then 0
            when 'thieu_so_lieu' then 1
            when 'cham_tien_do' then 2
            when 'chua_dat' then 3
            when 'dung_tien_do' then 4
            when 'dat' then 5
            when 'vuot' then 6
        end as status_rank
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
        count(*) filter (where members.status in ('dat', 'vuot')) as members_met,
        count(*) filter (where members.status in ('dat', 'vuot', 'dung_tien_do')) as members_on_track,
        min(members.status_rank) as status_rank,
        string_agg(
            members.target_code, ', ' order by members.sort_order, members.target_code
        ) filter (where members.status_rank < 4) as short_target_codes,
        string_agg(
            members.criterion_vi || ' (' || members.target_code || '): ' || members.status_vi, '; '
            order by members.sort_order, members.target_code
        ) filter (where members.status_rank < 4) as short_criteria_vi,
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
            when members_judged < members_total then 'thieu_so_lieu'
            else
                case status_rank
                    when 0 then 'khong_dat'
                    when 1 then 'thieu_so_lieu'
                    when 2 then 'cham_tien_do'
                    when 3 then 'chua_dat'
                    when 4 then 'dung_tien_do'
                    when 5 then 'dat'
                    when 6 then 'vuot'
                end
        end as status
    from grouped
),

final as (
    select
        plan_year,
        group_code,
        group_name_vi,
        as_of_period,
        as_of_date,
        status,
        {{ status_label('status') }} as status_vi,
        members_total,
        members_met,
        members_on_track,
        short_target_codes,
        case
            when members_judged < members_total
                then
                    'Thiếu ' || (members_total - members_judged) || '/' || members_total
                    || ' tiêu chí trong danh mục chỉ tiêu'
            else short_criteria_vi
        end as short_criteria_vi,
        missing_figure
    from with_status
)

select * from final
