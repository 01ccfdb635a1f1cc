{#- The figure that counts for each (indicator, unit, period): the latest actual, or the
    latest estimate while no actual exists.
    Incremental, so its cost follows what was loaded, not the history: a key's current
    row changes only when a newly loaded version became current, so a run replaces only
    the keys with a current version it does not hold yet (the look-back window of the
    macro scoped_to_new_keys, as in int_figure_versions), then drops any row that is no longer a
    current version (int_figure_versions rebuilt). One row per key at any history.
    `versions` is not materialized, for the reason given in int_figure_versions. -#}
{{
    config(
        materialized='incremental',
        unique_key=['indicator_code', 'admin_unit_code', 'period_code'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[
            {'columns': ['indicator_code', 'admin_unit_code', 'period_year']},
            {'columns': ['figure_id']},
        ],
        post_hook=[
            "delete from {{ this }} as kept where not exists (select 1 from {{ ref('int_figure_versions') }}"
            " as v where v.figure_id = kept.figure_id and v.is_current)",
        ],
    )
}}

with

versions as not materialized (
    select * from {{ ref('int_figure_versions') }}
),

{{ scoped_to_new_keys('versions', condition='versions.is_current') }},

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
        received_at,
        loaded_at
    from scoped
    where is_current
)

select * from final
