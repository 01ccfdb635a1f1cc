{#- The offices for Superset (which reads only the marts schema), with how many of the
    catalog's indicators each one owes figures for. -#}
with

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

indicator_counts as (
    select
        office_code,
        count(*) as indicators_owned
    from indicators
    group by office_code
),

final as (
    select
        offices.office_code,
        offices.name_vi,
        offices.name_en,
        offices.email,
        offices.submits,
        coalesce(indicator_counts.indicators_owned, 0) as indicators_owned
    from offices
    left join indicator_counts on offices.office_code = indicator_counts.office_code
)

select * from final
