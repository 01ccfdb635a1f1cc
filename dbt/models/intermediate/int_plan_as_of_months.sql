{#- The as-of months reported for each plan year: 1 up to the latest month any figure of
    that year reaches (at least month 1, so a year without data still shows every target
    as missing data). An office's estimate for the whole year ("ước thực hiện cả năm", sent
    with the mid-year report) does not make the year elapse: it is left out here. -#}
with

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

current_figures as (
    select * from {{ ref('int_figures_current') }}
),

plan_years as (
    select distinct plan_year from targets
),

latest_months as (
    select
        plan_years.plan_year,
        greatest(coalesce(max(current_figures.month_to), 1), 1) as last_month
    from plan_years
    left join current_figures
        on
            plan_years.plan_year = current_figures.period_year
            and not (current_figures.period_grain = 'year' and current_figures.value_type = 'estimate')
    group by plan_years.plan_year
),

final as (
    select
        latest_months.plan_year,
        months.as_of_month,
        to_char(make_date(latest_months.plan_year, months.as_of_month, 1), 'YYYY-MM') as as_of_period,
        (
            make_date(latest_months.plan_year, months.as_of_month, 1) + interval '1 month' - interval '1 day'
        )::date as as_of_date
    from latest_months
    cross join lateral generate_series(1, latest_months.last_month) as months (as_of_month)
)

select * from final
