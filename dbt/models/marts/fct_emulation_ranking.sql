{#- The emulation table: communes (entity_type 'xa', the town included) and offices
    ('phong', those that submit) ranked per plan year x as-of month.
      attainment_score = 100 x targets on track / targets carried
        offices: targets they are responsible for, on track = vuot, dat or dung_tien_do;
        communes: see int_commune_target_status.
      reporting_score
        offices: the mean over the periods due by the end of the as-of month of 1 (on
        time), 0.5 (late, but received by then) or 0 (missing); 100 when nothing was due;
        communes: 100 x targets for which the unit has figures / targets carried.
      total_score = attainment_weight x attainment + reporting_weight x reporting (vars);
      rank: dense rank within plan year, as-of month and entity type, best first. -#}
{{
    config(
        indexes=[
            {'columns': ['plan_year', 'as_of_period', 'entity_type']},
        ],
    )
}}

with

attainment as (
    select * from {{ ref('fct_target_attainment') }}
),

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

offices as (
    select * from {{ ref('stg_catalog__offices') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

obligations as (
    select * from {{ ref('int_reporting_obligations') }}
),

commune_status as (
    select * from {{ ref('int_commune_target_status') }}
),

as_of_months as (
    select * from {{ ref('int_plan_as_of_months') }}
),

office_grid as (
    select
        as_of_months.plan_year,
        as_of_months.as_of_month,
        as_of_months.as_of_period,
        as_of_months.as_of_date,
        offices.office_code,
        offices.name_vi
    from as_of_months
    cross join offices
    where offices.submits
),

office_attainment as (
    select
        office_grid.plan_year,
        office_grid.as_of_month,
        office_grid.office_code,
        count(attainment.target_code) as targets_carried,
        count(attainment.target_code) filter (
            where attainment.status in ('vuot', 'dat', 'dung_tien_do')
        ) as targets_on_track
    from office_grid
    left join targets
        on
            office_grid.plan_year = targets.plan_year
            and office_grid.office_code = targets.responsible_office
    left join attainment
        on
            targets.plan_year = attainment.plan_year
            and targets.target_code = attainment.target_code
            and office_grid.as_of_period = attainment.as_of_period
    group by office_grid.plan_year, office_grid.as_of_month, office_grid.office_code
),

office_reporting as (
    select
        office_grid.plan_year,
        office_grid.as_of_month,
        office_grid.office_code,
        avg(
            case
                when obligations.first_received_at::date <= obligations.due_date then 1.0
                when obligations.first_received_at::date <= office_grid.as_of_date then 0.5
                else 0.0
            end
        ) filter (where obligations.due_date <= office_grid.as_of_date) as reporting_share
    from office_grid
    left join obligations
        on
            office_grid.plan_year = obligations.plan_year
            and office_grid.office_code = obligations.office_code
    group by office_grid.plan_year, office_grid.as_of_month, office_grid.office_code
),

office_scores as (
    select
        office_grid.plan_year,
        office_grid.as_of_period,
        'phong' as entity_type,
        office_grid.office_code as entity_code,
        office_grid.name_vi as entity_name,
        office_attainment.targets_carried,
        office_attainment.targets_on_track,
        100.0 * office_attainment.targets_on_track / nullif(office_attainment.targets_carried, 0)
            as attainment_score,
        coalesce(100 * office_reporting.reporting_share, 100.0) as reporting_score
    from office_grid
    inner join office_attainment
        on
            office_grid.plan_year = office_attainment.plan_year
            and office_grid.as_of_month = office_attainment.as_of_month
            and office_grid.office_code = office_attainment.office_code
    inner join office_reporting
        on
            office_grid.plan_year = office_reporting.plan_year
            and office_grid.as_of_month = office_reporting.as_of_month
            and office_grid.office_code = office_reporting.office_code
),

commune_scores as (
    select
        as_of_months.plan_year,
        as_of_months.as_of_period,
        'xa' as entity_type,
        commune_status.admin_unit_code as entity_code,
        admin_units.name_vi as entity_name,
        count(*) as targets_carried,
        count(*) filter (where commune_status.is_on_track) as targets_on_track,
        100.0 * count(*) filter (where commune_status.is_on_track) / count(*) as attainment_score,
        100.0 * count(*) filter (where commune_status.is_reported) / count(*) as reporting_score
    from commune_status
    inner join as_of_months
        on
            commune_status.plan_year = as_of_months.plan_year
            and commune_status.as_of_month = as_of_months.as_of_month
    inner join admin_units on commune_status.admin_unit_code = admin_units.unit_code
    group by
        as_of_months.plan_year,
        as_of_months.as_of_period,
        commune_status.admin_unit_code,
        admin_units.name_vi
),

scores as (
    select * from office_scores
    union all
    select * from commune_scores
),

totals as (
    select
        scores.*,
        coalesce(scores.attainment_score, 0) * {{ var('attainment_weight') }}
        + scores.reporting_score * {{ var('reporting_weight') }} as total_score
    from scores
),

final as (
    select
        plan_year,
        as_of_period,
        entity_type,
        entity_code,
        entity_name,
        targets_carried,
        targets_on_track,
        round(attainment_score, 2) as attainment_score,
        round(reporting_score, 2) as reporting_score,
        round(total_score, 2) as total_score,
        dense_rank() over (
            partition by plan_year, as_of_period, entity_type
            order by round(total_score, 2) desc
        ) as rank
    from totals
)

select * from final
