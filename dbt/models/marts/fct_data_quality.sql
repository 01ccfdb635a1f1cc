{#- One row per file x problem; a file without problems has one row with a null rule. -#}
{{
    config(
        indexes=[
            {'columns': ['office_code', 'received_at']},
            {'columns': ['status']},
        ],
    )
}}

with

files as (
    select * from {{ ref('stg_audit__ingest_files') }}
),

problems as (
    select * from {{ ref('stg_audit__ingest_problems') }}
),

final as (
    select
        files.file_id,
        files.office_code,
        files.original_name,
        files.received_at,
        files.file_status as status,
        files.rows_loaded,
        files.rows_rejected,
        files.error_count,
        files.warning_count,
        problems.rule,
        problems.severity,
        problems.message_vi
    from files
    left join problems on files.file_id = problems.file_id
)

select * from final
