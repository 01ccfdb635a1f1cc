-- What happened to every file and every system pull: one row per attempt.
create table if not exists audit.ingest_files (
    file_id bigserial primary key,
    source_kind text not null check (source_kind in ('file', 'http_json', 'sql')),
    source_name text not null,
    office_code text not null,
    original_name text not null,
    relative_path text,
    sha256 char(64) not null,
    size_bytes bigint,
    received_at timestamptz not null,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    status text not null check (
        status in ('processing', 'loaded', 'loaded_with_warnings', 'quarantined', 'duplicate', 'failed')
    ),
    layout text,
    template_version text,
    rows_read integer not null default 0,
    rows_loaded integer not null default 0,
    rows_rejected integer not null default 0,
    error_count integer not null default 0,
    warning_count integer not null default 0,
    stored_path text,
    report_path text,
    duplicate_of bigint references audit.ingest_files (file_id),
    watermark text,
    message_vi text,
    message_en text
);
-- The same drop can be loaded only once. The same bytes submitted again later (to undo a
-- correction) are a new submission: ingest.pipeline decides, under a lock on the bytes.
drop index if exists audit.ingest_files_loaded_sha256;
create unique index if not exists ingest_files_loaded_drop on audit.ingest_files (sha256, received_at)
where status in ('loaded', 'loaded_with_warnings');
create index if not exists ingest_files_office on audit.ingest_files (office_code, received_at);

-- Each problem found in a file or pull, in Vietnamese for the office, English for engineers.
create table if not exists audit.ingest_problems (
    problem_id bigserial primary key,
    file_id bigint not null references audit.ingest_files (file_id),
    -- error: the file is quarantined; rejected: this row is dropped, the rest is judged on
    -- its own; warning: the row loads, marked.
    severity text not null check (severity in ('error', 'rejected', 'warning')),
    -- 'rule' is the stable problem code that the dbt models and the reports use.
    rule text not null,  -- noqa: RF04
    sheet_name text,
    source_row integer,
    column_name text,
    value_found text,
    expected text,
    message_vi text not null,
    message_en text not null
);
create index if not exists ingest_problems_file on audit.ingest_problems (file_id);

-- Every Great Expectations run, on a submission or on a mart.
create table if not exists audit.validation_runs (
    run_id bigserial primary key,
    suite_name text not null,
    target_kind text not null check (target_kind in ('file', 'pull', 'model')),
    target_name text not null,
    file_id bigint references audit.ingest_files (file_id),
    run_at timestamptz not null default now(),
    success boolean not null,
    evaluated integer not null,
    failed integer not null
);

create table if not exists audit.validation_results (
    result_id bigserial primary key,
    run_id bigint not null references audit.validation_runs (run_id),
    expectation_type text not null,
    column_name text,
    severity text not null check (severity in ('error', 'rejected', 'warning')),
    success boolean not null,
    element_count integer,
    unexpected_count integer,
    unexpected_sample jsonb,
    message_vi text,
    kwargs jsonb
);
create index if not exists validation_results_run on audit.validation_results (run_id);

-- Reminders sent to offices about figures they owe.
create table if not exists audit.reminders (
    reminder_id bigserial primary key,
    sent_on date not null,
    office_code text not null,
    indicator_code text not null,
    period_code text not null,
    due_date date not null,
    recipient text not null,
    sent_at timestamptz not null default now(),
    unique (sent_on, office_code, indicator_code, period_code)
);

-- Airflow task failures, recorded by the shared failure callback.
create table if not exists audit.task_failures (
    failure_id bigserial primary key,
    dag_id text not null,
    task_id text not null,
    run_id text not null,
    try_number integer not null,
    error text,
    failed_at timestamptz not null default now()
);
