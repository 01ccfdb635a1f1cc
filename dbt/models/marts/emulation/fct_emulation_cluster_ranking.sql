{#- The ranking within each emulation cluster, as of every month: the members' scores of
    the district's reference ranking (fct_emulation_ranking, whose method_vi is carried),
    ranked within the cluster, best first (dense rank; ties share a rank). A member with no
    score (nothing judged yet, or an office that submits no figures) is "Chưa xếp hạng". -#}
with

members as (
    select * from {{ ref('dim_emulation_cluster_member') }}
),

months as (
    select * from {{ ref('int_plan_as_of_months') }}
),

ranking as (
    select * from {{ ref('fct_emulation_ranking') }}
),

scored as (
    select
        members.plan_year,
        months.as_of_period,
        members.cluster_code,
        members.cluster_name,
        members.unit_code,
        members.unit_type,
        members.unit_name,
        members.office_code,
        members.is_head,
        ranking.attainment_score,
        ranking.reporting_score,
        ranking.total_score,
        ranking.method_vi
    from members
    inner join months on members.plan_year = months.plan_year
    left join ranking
        on
            members.plan_year = ranking.plan_year
            and months.as_of_period = ranking.as_of_period
            and members.unit_type = ranking.entity_type
            and members.unit_code = ranking.entity_code
),

final as (
    select
        plan_year::integer as plan_year,
        as_of_period::text as as_of_period,
        cluster_code::text as cluster_code,
        cluster_name::text as cluster_name,
        unit_code::text as unit_code,
        unit_type::text as unit_type,
        unit_name::text as unit_name,
        office_code::text as office_code,
        is_head::boolean as is_head,
        attainment_score::numeric as attainment_score,
        reporting_score::numeric as reporting_score,
        total_score::numeric as total_score,
        (case
            when total_score is not null
                then dense_rank() over (
                    partition by plan_year, as_of_period, cluster_code, total_score is null
                    order by total_score desc
                )
        end)::integer as rank_in_cluster,
        (case
            when total_score is null then 'Chưa xếp hạng'
            else 'Hạng ' || dense_rank() over (
                partition by plan_year, as_of_period, cluster_code, total_score is null
                order by total_score desc
            )::text
        end)::text as rank_vi,
        (
            coalesce(method_vi, 'Xếp hạng tham khảo trong cụm theo điểm của bảng xếp hạng thi đua chung.')
            || ' Trong cụm: xếp theo tổng điểm, cao trước; đơn vị chưa có điểm là «Chưa xếp hạng».')::text
            as method_vi
    from scored
)

select * from final
