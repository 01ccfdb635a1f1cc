with

source as (
    select * from {{ source('audit', 'validation_runs') }}
),

final as (
    select
        run_id,
        suite_name,
        target_kind,
        target_name,
        file_id,
        run_at,
        success as is_success,
        evaluated as expectations_evaluated,
        failed as expectations_failed
    from source
)

select * from final
