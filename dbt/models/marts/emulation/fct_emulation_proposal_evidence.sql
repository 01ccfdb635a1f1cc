{#- Each target a proposal names as evidence, checked against the marts as of the
    occasion's month (int_emulation_proposal_targets): an office on the district's
    attainment of the target, a commune or the town on its own figures. The evidence is
    borne out (is_supported) when its status then counts as on track in the vocabulary
    seed (is_on_track: reached or on pace); behind pace, not reached, missing figures or no
    yardstick for the unit do not bear it out. -#}
with

named as (
    select * from {{ ref('int_emulation_proposal_targets') }}
),

units as (
    select * from {{ ref('int_emulation_units') }}
),

targets as (
    select * from {{ ref('dim_target') }}
),

attainment as (
    select * from {{ ref('fct_target_attainment') }}
),

commune_status as (
    select * from {{ ref('int_commune_target_status') }}
),

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

judged as (
    select
        named.plan_year,
        named.proposal_id,
        named.target_code,
        named.target_position,
        named.evidence_period,
        units.unit_type,
        targets.name_vi as target_name,
        targets.target_value,
        case when units.unit_type = 'phong' then attainment.status else commune_status.status end as status,
        case
            when units.unit_type = 'phong' then attainment.actual_value else commune_status.actual_value
        end as actual_value,
        case when units.unit_type = 'phong' then attainment.expected_value_now end as expected_value_now,
        case when units.unit_type = 'phong' then attainment.attainment_ratio end as attainment_ratio
    from named
    inner join units on named.unit_code = units.unit_code
    left join targets
        on
            named.plan_year = targets.plan_year
            and named.target_code = targets.target_code
    left join attainment
        on
            named.plan_year = attainment.plan_year
            and named.target_code = attainment.target_code
            and named.evidence_period = attainment.as_of_period
    left join commune_status
        on
            named.plan_year = commune_status.plan_year
            and named.target_code = commune_status.target_code
            and named.evidence_month = commune_status.as_of_month
            and named.unit_code = commune_status.admin_unit_code
),

final as (
    select
        plan_year::integer as plan_year,
        proposal_id::text as proposal_id,
        target_position::integer as target_position,
        target_code::text as target_code,
        target_name::text as target_name,
        evidence_period::text as evidence_period,
        (case when unit_type = 'phong' then 'huyen' else 'don_vi' end)::text as judged_on,
        status::text as status,
        coalesce(statuses.label_vi, 'Không có thước đo cho đơn vị')::text as status_vi,
        actual_value::numeric as actual_value,
        target_value::numeric as target_value,
        expected_value_now::numeric as expected_value_now,
        attainment_ratio::numeric as attainment_ratio,
        coalesce(statuses.is_on_track, false) as is_supported
    from judged
    left join statuses on judged.status = statuses.code
)

select * from final
