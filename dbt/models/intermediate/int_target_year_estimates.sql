{#- The office's own estimate for the whole year ("ước thực hiện cả năm", usual in the
    mid-year report), per year x indicator, in the indicator's unit (spec rule 5): the
    district's yearly estimate where the office sent one, else the sum of the units'. -#}
with

current_figures as (
    select * from {{ ref('int_figures_current') }}
),

admin_units as (
    select * from {{ ref('stg_catalog__admin_units') }}
),

final as (
    select
        current_figures.period_year,
        current_figures.indicator_code,
        coalesce(
            max(current_figures.figure_value) filter (where admin_units.unit_type = 'huyen'),
            sum(current_figures.figure_value)
        ) as year_estimate
    from current_figures
    inner join admin_units on current_figures.admin_unit_code = admin_units.unit_code
    where current_figures.period_grain = 'year' and current_figures.value_type = 'estimate'
    group by current_figures.period_year, current_figures.indicator_code
)

select * from final
