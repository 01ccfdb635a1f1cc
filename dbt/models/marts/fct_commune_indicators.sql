{#- One row per year x commune (or the town) x indicator x reported period, for every
    figure given per unit: commune-level indicators and the breakdowns of district ones
    (schools per commune, the town's urban waste).
    value: the current figure of that period; value_ytd: the year to date at the period's
    end (flows) or that same figure (stocks). For numerators of a ratio_pct target, the
    unit's denominator as of the same month and its ratio. district_value: the sum of the
    units' value_ytd for the same indicator and period.
    rank_in_district ("xếp cuối" reads it from the bottom): only for indicators that
    measure what a unit achieves against a yardstick of its own, i.e. the numerator of a
    ratio_pct target (by the unit's ratio_pct, never by the size of its numerator) or a
    unit's flag (share_of_units_pct, count_flagged: 1 first); best first, lowest first for
    indicators whose target is to fall (poverty). Null, so never ranked, for the
    denominators (population, households, villages...), for levels of district totals
    (sown area: by amount it would rank size, not performance) and for a unit whose
    ratio cannot be computed (a missing denominator is not a weak performance). -#}
{{
    config(
        indexes=[
            {'columns': ['plan_year', 'indicator_code', 'as_of_period']},
            {'columns': ['admin_unit_code']},
        ],
    )
}}

with

current_figures as (
    select * from {{ ref('int_figures_current') }}
),

unit_values as (
    select * from {{ ref('int_unit_values') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

-- indicators whose target is to fall (poverty): the lowest value ranks first
falling_indicators as (
    select distinct indicator_code
    from targets
    where kind in ('reduce_by_points', 'reduce_by_pct')
),

-- indicators ranked in "xếp cuối": what a unit achieves against a yardstick of its own
ranked_indicators as (
    select distinct on (indicator_code)
        indicator_code,
        case when measure = 'ratio_pct' then 'ratio' else 'flag' end as rank_basis
    from targets
    where measure in ('ratio_pct', 'share_of_units_pct', 'count_flagged')
    order by indicator_code asc, plan_year desc
),

ratio_denominators as (
    select distinct on (indicator_code)
        indicator_code,
        denominator_code
    from targets
    where measure = 'ratio_pct' and denominator_code is not null
    order by indicator_code asc, plan_year desc
),

commune_figures as (
    select
        current_figures.period_year as plan_year,
        current_figures.admin_unit_code,
        admin_units.name_vi as admin_unit_name,
        current_figures.indicator_code,
        current_figures.period_code,
        current_figures.month_to,
        to_char(make_date(current_figures.period_year, current_figures.month_to, 1), 'YYYY-MM') as as_of_period,
        -- the mart contract names this column "value"
        current_figures.figure_value as value,  -- noqa: RF04
        ytd.unit_value as value_ytd,
        denominator.unit_value as denominator,
        falling_indicators.indicator_code is not null as lower_is_better,
        ranked_indicators.rank_basis
    from current_figures
    inner join indicators on current_figures.indicator_code = indicators.indicator_code
    inner join admin_units on current_figures.admin_unit_code = admin_units.unit_code
    left join unit_values as ytd
        on
            current_figures.indicator_code = ytd.indicator_code
            and current_figures.admin_unit_code = ytd.admin_unit_code
            and current_figures.period_year = ytd.period_year
            and current_figures.month_to = ytd.as_of_month
    left join falling_indicators on current_figures.indicator_code = falling_indicators.indicator_code
    left join ranked_indicators on current_figures.indicator_code = ranked_indicators.indicator_code
    left join ratio_denominators on current_figures.indicator_code = ratio_denominators.indicator_code
    left join unit_values as denominator
        on
            ratio_denominators.denominator_code = denominator.indicator_code
            and current_figures.admin_unit_code = denominator.admin_unit_code
            and current_figures.period_year = denominator.period_year
            and current_figures.month_to = denominator.as_of_month
    where admin_units.unit_type != 'huyen'
),

with_ratio as (
    select
        commune_figures.*,
        case when denominator is not null then value_ytd end as numerator,
        round(100 * value_ytd / nullif(denominator, 0), 4) as ratio_pct
    from commune_figures
),

with_performance as (
    select
        with_ratio.*,
        -- higher is better once signed
        case when lower_is_better then -1 else 1 end
        * case rank_basis
            when 'ratio' then ratio_pct
            when 'flag' then value_ytd
        end as performance
    from with_ratio
),

final as (
    select
        plan_year,
        admin_unit_code,
        admin_unit_name,
        indicator_code,
        period_code,
        as_of_period,
        value,
        value_ytd,
        numerator,
        denominator,
        ratio_pct,
        sum(value_ytd) over (partition by indicator_code, period_code) as district_value,
        round(
            100 * value_ytd / nullif(sum(value_ytd) over (partition by indicator_code, period_code), 0), 4
        ) as share_of_district_pct,
        case
            when performance is not null
                then rank() over (
                    partition by indicator_code, period_code, performance is null
                    order by performance desc
                )
        end as rank_in_district
    from with_performance
)

select * from final
