{#- The units of area for Superset (which reads only the marts schema), with what the
    staging rows lack for display: the unit as a sentence names it and the name of the
    unit it was merged into. -#}
with

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

final as (
    select
        admin_units.unit_code,
        admin_units.name_vi,
        admin_units.unit_type,
        admin_units.official_code,
        admin_units.villages_total,
        admin_units.valid_from,
        admin_units.valid_to,
        admin_units.successor_code,
        admin_units.name_in_text_vi,
        successors.name_vi as successor_name_vi
    from admin_units
    left join admin_units as successors on admin_units.successor_code = successors.unit_code
)

select * from final
