{#- Indicators with the levels a figure may be given at, in words for the dashboards. -#}
with

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

levels as (
    select * from {{ ref('stg_catalog__indicator_levels') }}
),

unit_levels as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'unit_level'
),

level_summary as (
    select
        indicator_code,
        min(value_min) as value_min,
        max(value_max) as value_max,
        max(value_max) filter (where unit_type = 'huyen') as district_value_max,
        max(value_max) filter (where unit_type != 'huyen') as unit_value_max,
        bool_or(unit_type = 'huyen') and bool_or(unit_type != 'huyen') as is_additive
    from levels
    group by indicator_code
),

-- the levels in words, in the vocabulary's order (toàn huyện, thị trấn, từng xã)
indicator_unit_types as (
    select distinct
        indicator_code,
        unit_type
    from levels
),

level_names as (
    select
        indicator_unit_types.indicator_code,
        string_agg(unit_levels.label_vi, ', ' order by unit_levels.sort_order) as levels_vi
    from indicator_unit_types
    inner join unit_levels on indicator_unit_types.unit_type = unit_levels.code
    group by indicator_unit_types.indicator_code
),

final as (
    select
        indicators.indicator_code,
        indicators.name_vi,
        indicators.name_en,
        indicators.unit,
        indicators.level,
        indicators.aggregation,
        indicators.value_kind,
        level_summary.value_min,
        level_summary.value_max,
        level_summary.district_value_max,
        level_summary.unit_value_max,
        level_summary.is_additive,
        level_names.levels_vi,
        indicators.cumulative,
        indicators.frequency,
        indicators.due_day,
        indicators.due_month_offset,
        indicators.office_code
    from indicators
    inner join level_summary on indicators.indicator_code = level_summary.indicator_code
    left join level_names on indicators.indicator_code = level_names.indicator_code
)

select * from final
