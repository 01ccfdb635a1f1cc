{#- Every unit that can take part in the emulation movement: the offices (by their folder
    code, unit_type 'phong') and the town and communes (by their unit code, 'xa', as in
    fct_emulation_ranking). The two code lists never overlap (lower-case folder codes,
    upper-case unit codes). -#}
with

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

final as (
    select
        office_code as unit_code,
        'phong' as unit_type,
        name_vi as unit_name,
        office_code
    from offices
    union all
    select
        unit_code,
        'xa' as unit_type,
        name_vi as unit_name,
        null as office_code
    from admin_units
    where unit_type != 'huyen'
)

select * from final
