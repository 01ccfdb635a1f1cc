with

source as (
    select * from {{ source('raw', 'submitted_figures') }}
),

final as (
    select
        figure_id,
        file_id,
        source_kind,
        source_name,
        source_sha256,
        office_code,
        indicator_code,
        admin_unit_code,
        period_code,
        period_grain,
        period_start,
        period_end,
        value::numeric as figure_value,
        value_type,
        note,
        sheet_name,
        source_row,
        warnings,
        received_at,
        source_changed_at,
        loaded_at,
        extract(year from period_start)::integer as period_year,
        extract(month from period_start)::integer as month_from,
        extract(month from period_end)::integer as month_to,
        case period_grain when 'month' then 1 when 'quarter' then 2 else 3 end as grain_rank
    from source
)

select * from final
