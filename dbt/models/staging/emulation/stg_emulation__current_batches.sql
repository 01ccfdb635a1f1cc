{#- The batch that counts for each record kind and plan year: the latest file to carry
    it (received_at, then file_id). Supersession is by kind and year: a later file of
    clusters for 2022 replaces every cluster row of 2022, whatever it lists. -#}
with

batches as (
    select * from {{ source('raw_emulation', 'emulation_batches') }}
),

ranked as (
    select
        file_id,
        record_kind,
        plan_year,
        received_at,
        row_number() over (
            partition by record_kind, plan_year
            order by received_at desc, file_id desc
        ) as recency
    from batches
),

final as (
    select
        file_id,
        record_kind,
        plan_year,
        received_at
    from ranked
    where recency = 1
)

select * from final
