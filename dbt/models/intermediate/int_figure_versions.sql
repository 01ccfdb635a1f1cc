{#- Every version of every figure, flagged (rule 1 of the spec's "Judging in the year").
    Versions are ordered by when they were SUBMITTED (received_at: the file reached the
    inbox, or source_changed_at: the source system stamped the record, whatever the pull
    time), then figure_id, never by when the platform loaded them: a retried original
    loaded after its correction stays superseded.
    Incremental on loaded_at (only to find the keys to re-rank): a run only re-ranks the
    (indicator, unit, period) keys that received rows since the last run (the look-back
    window of the macro scoped_to_new_keys), then writes only the rows that are new or whose
    rank changed: a key with hundreds of versions gains one, and two or three rows change.
    `figures` is not materialized: it is read twice (the new keys, then their versions), and
    materialized it would copy every raw figure to disk before either read. -#}
{{
    config(
        materialized='incremental',
        unique_key='figure_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[
            {'columns': ['figure_id'], 'unique': true},
            {'columns': ['indicator_code', 'admin_unit_code', 'period_code']},
            {'columns': ['loaded_at']},
            {'columns': ['file_id']},
        ],
    )
}}

with

figures as not materialized (
    select
        *,
        coalesce(source_changed_at, received_at) as submitted_at
    from {{ ref('stg_raw__submitted_figures') }}
),

{{ scoped_to_new_keys('figures') }},

ranked as (
    select
        scoped.*,
        row_number() over (
            partition by indicator_code, admin_unit_code, period_code, value_type
            order by submitted_at, figure_id
        ) as version_number,
        row_number() over (
            partition by indicator_code, admin_unit_code, period_code, value_type
            order by submitted_at desc, figure_id desc
        ) as rank_within_type,
        row_number() over (
            partition by indicator_code, admin_unit_code, period_code
            order by (value_type = 'actual') desc, submitted_at desc, figure_id desc
        ) as rank_within_period
    from scoped
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
        note,
        source_kind,
        source_name,
        source_sha256,
        sheet_name,
        source_row,
        warnings,
        submitted_at as received_at,
        loaded_at,
        version_number,
        rank_within_type = 1 as is_latest_of_type,
        rank_within_period = 1 as is_current
    from ranked
    {% if is_incremental() %}
        where not exists (
            select 1 from {{ this }} as held
            where
                held.figure_id = ranked.figure_id
                and held.version_number = ranked.version_number
                and held.is_latest_of_type = (ranked.rank_within_type = 1)
                and held.is_current = (ranked.rank_within_period = 1)
        )
    {% endif %}
)

select * from final
