{#- The current proposals of each plan year: the rows of the latest proposal batch. -#}
with

source as (
    select * from {{ source('raw_emulation', 'emulation_proposals') }}
),

current_batches as (
    select * from {{ ref('stg_emulation__current_batches') }}
    where record_kind = 'proposal'
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
