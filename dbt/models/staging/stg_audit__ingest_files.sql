with

source as (
    select * from {{ source('audit', 'ingest_files') }}
),

final as (
    select
        file_id,
        source_kind,
        source_name,
        office_code,
        original_name,
        relative_path,
        sha256,
        size_bytes,
        received_at,
        started_at,
        finished_at,
        status as file_status,
        layout,
        template_version,
        rows_read,
        rows_loaded,
        rows_rejected,
        error_count,
        warning_count,
        stored_path,
        report_path,
        duplicate_of,
        watermark,
        message_vi,
        message_en,
        status in ('quarantined', 'failed') as is_rejected
    from source
)

select * from final
