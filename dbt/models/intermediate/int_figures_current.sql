{#- The figure that counts for each (indicator, unit, period): the latest actual, or the
    latest estimate while no actual exists. -#}
{{
    config(
        indexes=[
            {'columns': ['indicator_code', 'admin_unit_code', 'period_year']},
        ],
    )
}}

with

versions as (
    select * from {{ ref('int_figure_versions') }}
),

final as (
    select
        figure_id,
        file_id,
        office_code,
        indicator_code,
        admin_unit_code,
        period_code,
        period_grain,
        grain_rank,
        period_start,
        period_end,
        period_year,
        month_from,
        month_to,
        figure_value,
        value_type,
        received_at,
        loaded_at
    from versions
    where is_current
)

select * from final
