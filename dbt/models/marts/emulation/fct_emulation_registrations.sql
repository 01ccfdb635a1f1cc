{#- Each registered target (or own criterion) of each unit, as of every month of the plan
    year, with where it stands then. An office is judged on the district's attainment of
    the target (fct_target_attainment: status, actual, pace); a commune or the town on its
    own figures (int_commune_target_status; no status where the target has no yardstick
    for one unit). An own criterion has no figure on the platform: no status. The status's
    label and whether it counts as on track are the vocabulary seed's. -#}
with

registrations as (
    select * from {{ ref('stg_emulation__registrations') }}
),

months as (
    select * from {{ ref('int_plan_as_of_months') }}
),

units as (
    select * from {{ ref('int_emulation_units') }}
),

targets as (
    select * from {{ ref('dim_target') }}
),

attainment as (
    select * from {{ ref('fct_target_attainment') }}
),

commune_status as (
    select * from {{ ref('int_commune_target_status') }}
),

statuses as (
    select * from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

grid as (
    select
        registrations.plan_year,
        months.as_of_month,
        months.as_of_period,
        registrations.unit_code,
        units.unit_type,
        units.unit_name,
        units.office_code,
        registrations.registered_on,
        registrations.target_code,
        registrations.criterion,
        registrations.measure,
        registrations.source_row
    from registrations
    inner join months on registrations.plan_year = months.plan_year
    inner join units on registrations.unit_code = units.unit_code
),

final as (
    select
        grid.plan_year::integer as plan_year,
        grid.as_of_period::text as as_of_period,
        grid.unit_code::text as unit_code,
        grid.unit_type::text as unit_type,
        grid.unit_name::text as unit_name,
        grid.office_code::text as office_code,
        grid.registered_on::date as registered_on,
        grid.target_code::text as target_code,
        coalesce(targets.name_vi, grid.criterion)::text as commitment_vi,
        grid.criterion::text as criterion,
        grid.measure::text as measure,
        (case
            when grid.target_code is null then null
            when grid.unit_type = 'phong' then 'huyen'
            else 'don_vi'
        end)::text as judged_on,
        (case
            when grid.unit_type = 'phong' then attainment.status
            else commune_status.status
        end)::text as status,
        statuses.label_vi::text as status_vi,
        (case
            when grid.unit_type = 'phong' then attainment.actual_value
            else commune_status.actual_value
        end)::numeric as actual_value,
        targets.target_value::numeric as target_value,
        (case when grid.unit_type = 'phong' then attainment.expected_value_now end)::numeric as expected_value_now,
        (case when grid.unit_type = 'phong' then attainment.attainment_ratio end)::numeric as attainment_ratio,
        statuses.is_on_track::boolean as is_on_track,
        grid.source_row::integer as source_row
    from grid
    left join targets
        on
            grid.plan_year = targets.plan_year
            and grid.target_code = targets.target_code
    left join attainment
        on
            grid.plan_year = attainment.plan_year
            and grid.target_code = attainment.target_code
            and grid.as_of_period = attainment.as_of_period
    left join commune_status
        on
            grid.plan_year = commune_status.plan_year
            and grid.target_code = commune_status.target_code
            and grid.as_of_month = commune_status.as_of_month
            and grid.unit_code = commune_status.admin_unit_code
    left join statuses
        on
            (case
                when grid.unit_type = 'phong' then attainment.status
                else commune_status.status
            end) = statuses.code
)

select * from final
