{#- One row per proposal and target it names as evidence, with the month its evidence is
    judged as of: June for a mid-year review (sơ kết), December for the year end (tổng
    kết), the month of the proposal's date for a thematic or sudden one (chuyên đề, đột
    xuất; December when it has no date or another year's). -#}
with

proposals as (
    select * from {{ ref('stg_emulation__proposals') }}
),

with_month as (
    select
        plan_year,
        proposal_id,
        unit_code,
        evidence_targets,
        case
            when occasion = 'so_ket' then 6
            when occasion = 'tong_ket' then 12
            when extract(year from proposed_on) = plan_year then extract(month from proposed_on)::integer
            else 12
        end as evidence_month
    from proposals
),

final as (
    select
        with_month.plan_year,
        with_month.proposal_id,
        with_month.unit_code,
        with_month.evidence_month,
        with_month.plan_year::text || '-' || lpad(with_month.evidence_month::text, 2, '0') as evidence_period,
        named.target_code,
        named.position as target_position
    from with_month
    cross join
        lateral unnest(string_to_array(with_month.evidence_targets, ',')) with ordinality
            as named (target_code, position)
    where with_month.evidence_targets is not null
)

select * from final
