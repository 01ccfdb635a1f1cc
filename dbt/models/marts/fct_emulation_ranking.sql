{#- The emulation table, a reference for the Emulation and Reward Council: decree
    10/PĐ-UBND gives no scoring formula, so the method and weights are the platform's,
    read from the seed ranking_method and carried on every row (method_vi).
    Communes (entity_type 'xa', the town included) and offices ('phong', those that
    submit) are ranked separately, per plan year x as-of month.

    Every target's status counts through its ranking_group in the vocabulary seed and the
    macro ranking_credit (macros/ranking.sql): 1 when reached or on pace, 0 when behind or
    missed, left out when "chưa đạt" without pace before December or when a figure is
    missing.
      attainment_score = 100 x targets credited 1 / targets judged (credit not null);
        communes: their own standing (int_commune_target_status), a share, so the town
        and a small or large xã compare; offices: the district status of the targets
        they are responsible for (int_target_status).
      reporting_score  offices only: the mean over the periods due by the end of the
        as-of month of 1 (complete on time), 0.5 (completed late, by then) or 0 (missing or
        partial: rule 7, every unit in scope must have reported); 100 when nothing was
        due. Communes: null (their figures are sent by the offices).
      total_score = the weighted mean of the components that have a score, with the
        weights of the seed for the entity type; null when none has.
      rank: dense rank within plan year, as-of month and entity type, best first; units
        with no score share the last rank. -#}
{{
    config(
        indexes=[
            {'columns': ['plan_year', 'as_of_period', 'entity_type']},
        ],
    )
}}

with

attainment as (
    select * from {{ ref('int_target_status') }}
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

statuses as (
    select
        code as status,
        ranking_group
    from {{ ref('stg_catalog__vocabulary') }}
    where domain = 'attainment_status'
),

method as (
    select
        entity_type,
        component,
        weight::numeric as weight,
        name_vi,
        description_vi
    from {{ ref('ranking_method') }}
),

weights as (
    select
        entity_type,
        coalesce(max(weight) filter (where component = 'attainment'), 0) as attainment_weight,
        coalesce(max(weight) filter (where component = 'reporting'), 0) as reporting_weight,
        'Quyết định 10/PĐ-UBND không quy định công thức xếp hạng; đây là cách tính tham khảo của nền tảng. '
        || string_agg(
            name_vi || ' (trọng số ' || round(100 * weight) || '%): ' || description_vi,
            ' ' order by weight desc, component asc
        ) as method_vi
    from method
    group by entity_type
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

office_targets as (
    select
        office_grid.plan_year,
        office_grid.as_of_month,
        office_grid.office_code,
        statuses.ranking_group,
        {{ ranking_credit('statuses.ranking_group', 'office_grid.as_of_month') }} as credit
    from office_grid
    inner join targets
        on
            office_grid.plan_year = targets.plan_year
            and office_grid.office_code = targets.responsible_office
    inner join attainment
        on
            targets.plan_year = attainment.plan_year
            and targets.target_code = attainment.target_code
            and office_grid.as_of_period = attainment.as_of_period
    left join statuses on attainment.status = statuses.status
),

commune_targets as (
    select
        commune_status.plan_year,
        commune_status.as_of_month,
        commune_status.admin_unit_code,
        statuses.ranking_group,
        {{ ranking_credit('statuses.ranking_group', 'commune_status.as_of_month') }} as credit
    from commune_status
    left join statuses on commune_status.status = statuses.status
    where commune_status.status is not null
),

office_attainment as (
    select
        plan_year,
        as_of_month,
        office_code,
        count(*) as targets_carried,
        count(credit) as targets_judged,
        count(*) filter (where credit = 1) as targets_on_track,
        count(*) filter (where ranking_group = 'not_yet' and credit is null) as targets_not_yet_due,
        count(*) filter (where ranking_group = 'missing') as targets_missing_data
    from office_targets
    group by plan_year, as_of_month, office_code
),

office_reporting as (
    select
        office_grid.plan_year,
        office_grid.as_of_month,
        office_grid.office_code,
        avg(
            case
                -- rule 7: a period is reported when every unit in scope has (completed_at),
                -- on Vietnam's calendar day, as in the compliance mart and the reminders
                when (obligations.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= obligations.due_date
                    then 1.0
                when (obligations.completed_at at time zone 'Asia/Ho_Chi_Minh')::date <= office_grid.as_of_date
                    then 0.5
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
        coalesce(office_attainment.targets_carried, 0) as targets_carried,
        coalesce(office_attainment.targets_judged, 0) as targets_judged,
        coalesce(office_attainment.targets_on_track, 0) as targets_on_track,
        coalesce(office_attainment.targets_not_yet_due, 0) as targets_not_yet_due,
        coalesce(office_attainment.targets_missing_data, 0) as targets_missing_data,
        100.0 * office_attainment.targets_on_track / nullif(office_attainment.targets_judged, 0)
            as attainment_score,
        coalesce(100 * office_reporting.reporting_share, 100.0) as reporting_score
    from office_grid
    left join office_attainment
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
        commune_targets.admin_unit_code as entity_code,
        admin_units.name_vi as entity_name,
        count(*) as targets_carried,
        count(commune_targets.credit) as targets_judged,
        count(*) filter (where commune_targets.credit = 1) as targets_on_track,
        count(*) filter (
            where commune_targets.ranking_group = 'not_yet' and commune_targets.credit is null
        ) as targets_not_yet_due,
        count(*) filter (where commune_targets.ranking_group = 'missing') as targets_missing_data,
        100.0 * count(*) filter (where commune_targets.credit = 1) / nullif(count(commune_targets.credit), 0)
            as attainment_score,
        null::numeric as reporting_score
    from commune_targets
    inner join as_of_months
        on
            commune_targets.plan_year = as_of_months.plan_year
            and commune_targets.as_of_month = as_of_months.as_of_month
    inner join admin_units on commune_targets.admin_unit_code = admin_units.unit_code
    group by
        as_of_months.plan_year,
        as_of_months.as_of_period,
        commune_targets.admin_unit_code,
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
        weights.attainment_weight,
        weights.reporting_weight,
        weights.method_vi,
        (
            coalesce(weights.attainment_weight * scores.attainment_score, 0)
            + coalesce(weights.reporting_weight * scores.reporting_score, 0)
        )
        / nullif(
            case when scores.attainment_score is not null then weights.attainment_weight else 0 end
            + case when scores.reporting_score is not null then weights.reporting_weight else 0 end,
            0
        ) as total_score
    from scores
    -- left join: an entity type missing from the seed still shows, and fails not_null(method_vi)
    left join weights on scores.entity_type = weights.entity_type
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
            order by round(total_score, 2) desc nulls last
        ) as rank,
        targets_judged,
        targets_not_yet_due,
        targets_missing_data,
        attainment_weight,
        reporting_weight,
        method_vi
    from totals
)

select * from final
