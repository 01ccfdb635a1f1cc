with

source as (
    select * from {{ ref('plan_targets') }}
),

final as (
    select
        plan_year,
        target_code,
        sort_order,
        area,
        name_vi,
        name_en,
        kind,
        target_value,
        target_value_high,
        unit,
        measure,
        indicator_code,
        nullif(denominator_code, '') as denominator_code,
        unit_scope,
        responsible_office,
        needs_baseline,
        note,
        decree_text_vi
    from source
)

select * from final
