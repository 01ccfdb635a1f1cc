with

source as (
    select * from {{ source('audit', 'ingest_problems') }}
),

final as (
    select
        problem_id,
        file_id,
        severity,
        rule,
        sheet_name,
        source_row,
        column_name,
        value_found,
        expected,
        message_vi,
        message_en
    from source
)

select * from final
