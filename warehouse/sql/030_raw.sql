-- Every figure ever loaded, with its lineage. Rows are only ever inserted: a later figure
-- for the same key supersedes an earlier one in dbt, and the history stays here.
create table if not exists raw.submitted_figures (
    figure_id bigserial primary key,
    file_id bigint not null references audit.ingest_files (file_id),
    source_kind text not null,
    source_name text not null,
    source_sha256 char(64) not null,
    office_code text not null,
    indicator_code text not null,
    admin_unit_code text not null,
    period_code text not null,
    period_grain text not null check (period_grain in ('year', 'quarter', 'month')),
    period_start date not null,
    period_end date not null,
    -- 'value' is the spec's column name, kept through every layer.
    value numeric not null,  -- noqa: RF04
    value_type text not null check (value_type in ('estimate', 'actual')),
    note text,
    sheet_name text,
    source_row integer,
    warnings text,
    received_at timestamptz not null,
    loaded_at timestamptz not null default now()
);
-- A system's own change time of the record (null for files): versions rank by it when set.
-- Added after the first release: the bootstrap runs this file again on existing warehouses.
alter table raw.submitted_figures add column if not exists source_changed_at timestamptz;
create index if not exists submitted_figures_key on raw.submitted_figures (
    indicator_code, admin_unit_code, period_code, value_type
);
create index if not exists submitted_figures_file on raw.submitted_figures (file_id);
create index if not exists submitted_figures_loaded_at on raw.submitted_figures (loaded_at);

-- High-water marks of the system pulls (one row per source).
create table if not exists raw.source_watermarks (
    source_name text primary key,
    watermark text not null,
    updated_at timestamptz not null default now()
);
