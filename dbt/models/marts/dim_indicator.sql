{#- Indicators with the levels a figure may be given at, in words for the dashboards. -#}
with

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

levels as (
    select * from {{ ref('stg_catalog__indicator_levels') }}
),

level_summary as (
    select
        indicator_code,
        min(value_min) as value_min,
        max(value_max) as value_max,
        max(value_max) filter (where unit_type = 'huyen') as district_value_max,
        max(value_max) filter (where unit_type != 'huyen') as unit_value_max,
        bool_or(unit_type = 'huyen') and bool_or(unit_type != 'huyen') as is_additive,
        concat_ws(
            ', ',
            case when bool_or(unit_type = 'huyen') then 'toàn huyện' end,
            case when bool_or(unit_type = 'thi_tran') then 'thị trấn' end,
            case when bool_or(unit_type = 'xa') then 'từng xã' end
        ) as levels_vi
    from levels
    group by indicator_code
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
        level_summary.levels_vi,
        indicators.cumulative,
        indicators.frequency,
        indicators.due_day,
        indicators.due_month_offset,
        indicators.office_code
    from indicators
    inner join level_summary on indicators.indicator_code = level_summary.indicator_code
)

select * from final
