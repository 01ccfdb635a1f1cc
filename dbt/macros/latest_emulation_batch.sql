{#- The rows of one raw emulation table that belong to the batch that counts for their
    kind and plan year (stg_emulation__current_batches: the latest file to carry that kind
    for that year). Supersession is by kind and year, so the rows of an earlier file of
    the same kind and year drop out, whatever the later file lists. -#}
{% macro latest_emulation_batch(raw_table, record_kind) %}
with

source as (
    select * from {{ source('raw_emulation', raw_table) }}
),

current_batches as (
    select * from {{ ref('stg_emulation__current_batches') }}
    where record_kind = '{{ record_kind }}'
),

final as (
    select source.*
    from source
    inner join current_batches
        on
            source.file_id = current_batches.file_id
            and source.plan_year = current_batches.plan_year
)

select * from final
{% endmacro %}
