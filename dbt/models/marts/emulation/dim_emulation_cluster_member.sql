{#- The emulation clusters (cụm thi đua) of each plan year and their member units, as
    Phòng Nội vụ's latest cluster file lists them; the head of each cluster named on every
    member's row. -#}
with

members as (
    select * from {{ ref('stg_emulation__cluster_members') }}
),

units as (
    select * from {{ ref('int_emulation_units') }}
),

heads as (
    select
        members.plan_year,
        members.cluster_code,
        string_agg(units.unit_name, ', ' order by units.unit_name) as head_unit_name
    from members
    inner join units on members.unit_code = units.unit_code
    where members.is_head
    group by members.plan_year, members.cluster_code
),

final as (
    select
        members.plan_year::integer as plan_year,
        members.cluster_code::text as cluster_code,
        members.cluster_name::text as cluster_name,
        members.unit_code::text as unit_code,
        units.unit_type::text as unit_type,
        units.unit_name::text as unit_name,
        units.office_code::text as office_code,
        members.is_head::boolean as is_head,
        heads.head_unit_name::text as head_unit_name,
        (count(*) over (partition by members.plan_year, members.cluster_code))::integer as members_count,
        members.file_id::bigint as file_id,
        members.received_at::timestamptz as received_at
    from members
    inner join units on members.unit_code = units.unit_code
    left join heads
        on
            members.plan_year = heads.plan_year
            and members.cluster_code = heads.cluster_code
)

select * from final
