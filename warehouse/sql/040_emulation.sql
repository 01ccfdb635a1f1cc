-- The emulation records of Phòng Nội vụ (folder noivu): clusters and their members,
-- registrations, commendation proposals and the Council's decisions. Insert-only, with the
-- lineage of the file each row came from. Supersession: the latest file (by received_at,
-- then file_id) that carries a record kind for a plan year replaces every earlier record of
-- that kind and year; raw.emulation_batches says which file carried which kind and year,
-- and dbt's staging keeps the latest batch only. Nothing here is ever deleted.
create table if not exists raw.emulation_batches (
    file_id bigint not null references audit.ingest_files (file_id),
    record_kind text not null check (record_kind in ('cluster', 'registration', 'proposal', 'decision')),
    plan_year integer not null,
    source_sha256 char(64) not null,
    received_at timestamptz not null,
    rows_loaded integer not null,
    loaded_at timestamptz not null default now(),
    primary key (file_id, record_kind, plan_year)
);

create table if not exists raw.emulation_cluster_members (
    file_id bigint not null references audit.ingest_files (file_id),
    plan_year integer not null,
    cluster_code text not null,
    cluster_name text not null,
    unit_code text not null,
    is_head boolean not null default false,
    sheet_name text,
    source_row integer,
    source_sha256 char(64) not null,
    received_at timestamptz not null
);

create table if not exists raw.emulation_registrations (
    file_id bigint not null references audit.ingest_files (file_id),
    plan_year integer not null,
    unit_code text not null,
    registered_on date,
    target_code text,
    criterion text,
    measure text,
    sheet_name text,
    source_row integer,
    source_sha256 char(64) not null,
    received_at timestamptz not null
);

create table if not exists raw.emulation_proposals (
    file_id bigint not null references audit.ingest_files (file_id),
    plan_year integer not null,
    proposal_id text not null,
    occasion text not null check (occasion in ('so_ket', 'tong_ket', 'chuyen_de', 'dot_xuat')),
    nominee_kind text not null check (nominee_kind in ('tap_the', 'ca_nhan')),
    unit_code text not null,
    person_name text,
    person_position text,
    award_form text not null,
    achievement text,
    evidence_targets text,
    proposing_unit text,
    proposed_on date,
    sheet_name text,
    source_row integer,
    source_sha256 char(64) not null,
    received_at timestamptz not null
);

create table if not exists raw.emulation_decisions (
    file_id bigint not null references audit.ingest_files (file_id),
    plan_year integer not null,
    proposal_id text not null,
    outcome text not null check (outcome in ('da_duyet', 'khong_duyet', 'doi_hinh_thuc')),
    new_award_form text,
    decision_number text,
    decided_on date,
    signer text,
    sheet_name text,
    source_row integer,
    source_sha256 char(64) not null,
    received_at timestamptz not null
);

-- Approval of the review packs by Phòng Nội vụ in Airflow (human-in-the-loop), one row per
-- answer: who, when, what was said; a rejection sends the draft back.
create table if not exists audit.review_approvals (
    approval_id bigserial primary key,
    dag_id text not null,
    run_id text not null,
    plan_year integer not null,
    as_of text not null,
    draft_folder text not null,
    decision text not null check (decision in ('approved', 'rejected')),
    approver text not null,
    responded_at timestamptz not null,
    -- the approver's comment: the word Airflow and the reviewers use
    comment text,  -- noqa: RF04
    published_folder text,
    recorded_at timestamptz not null default now()
);
