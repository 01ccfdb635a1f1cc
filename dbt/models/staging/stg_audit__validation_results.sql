with

source as (
    select * from {{ source('audit', 'validation_results') }}
),

final as (
    select
        result_id,
        run_id,
        expectation_type,
        column_name,
        severity,
        success as is_success,
        element_count,
        unexpected_count,
        unexpected_sample,
        message_vi,
        kwargs
    from source
)

select * from final
