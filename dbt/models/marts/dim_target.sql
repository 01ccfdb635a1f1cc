{{ config(indexes=[{'columns': ['plan_year', 'target_code'], 'unique': true}]) }}

with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

areas as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'target_area'
),

final as (
    select
        targets.plan_year,
        targets.target_code,
        targets.sort_order,
        targets.area,
        areas.label_vi as area_vi,
        targets.name_vi,
        targets.name_en,
        targets.kind,
        targets.target_value,
        targets.target_value_high,
        targets.unit,
        targets.measure,
        targets.indicator_code,
        targets.denominator_code,
        targets.unit_scope,
        targets.responsible_office,
        offices.name_vi as responsible_office_vi,
        targets.needs_baseline,
        targets.decree_text_vi
    from targets
    left join offices on targets.responsible_office = offices.office_code
    left join areas on targets.area = areas.code
)

select * from final
