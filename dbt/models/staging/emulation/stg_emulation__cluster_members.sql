{#- The current cluster members of each plan year: the rows of the latest cluster batch. -#}
with

source as (
    select * from {{ source('raw_emulation', 'emulation_cluster_members') }}
),

current_batches as (
    select * from {{ ref('stg_emulation__current_batches') }}
    where record_kind = 'cluster'
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
