{#- The value of each indicator for each unit of area, year and as-of month (1..12), by
    rule 1 of the spec ("which figure counts"): int_figures_current already holds one figure
    per period (an actual beats an estimate; among the same kind, the one submitted last);
    here the periods of different grains are combined:

    Stocks: the latest figure whose period ends by the as-of month, within the same year.
    For periods ending on the same month: an actual beats an estimate; among actuals the
    coarser period wins (an official yearly figure beats a December or Q4 figure: it is the
    office's consolidated total); among estimates the finer period wins.

    Flows (year to date), without double counting:
      * each calendar quarter that ends by the as-of month counts once: its quarterly
        ACTUAL when there is one (it supersedes the months inside it, actual or estimate),
        else the sum of its three monthly figures when all three are there, else its
        quarterly estimate, else the monthly figures that are there (a partial quarter);
      * the months of the quarter still running add their monthly figures;
      * at month 12 a yearly ACTUAL supersedes everything inside the year (the year
        closes); a yearly estimate is used only if some quarter is not complete (an
        estimate for a coarser period never replaces finer actuals).
    covered_month is the last month the value actually covers (e.g. 3 at as-of month 5
    when only Q1 was reported); is_final is true when every figure used is an actual
    (false: the value contains estimates, shown as "ước"). -#}
{{
    config(
        indexes=[
            {'columns': ['indicator_code', 'admin_unit_code', 'period_year', 'as_of_month'], 'unique': true},
        ],
    )
}}

with

current_figures as (
    select * from {{ ref('int_figures_current') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

figures as (
    select
        current_figures.indicator_code,
        current_figures.admin_unit_code,
        current_figures.period_year,
        current_figures.period_grain,
        current_figures.grain_rank,
        current_figures.month_to,
        current_figures.figure_value,
        current_figures.value_type,
        current_figures.received_at,
        indicators.aggregation
    from current_figures
    inner join indicators on current_figures.indicator_code = indicators.indicator_code
),

as_of_months as (
    select generate_series(1, 12) as as_of_month
),

stock_candidates as (
    select
        figures.indicator_code,
        figures.admin_unit_code,
        figures.period_year,
        as_of_months.as_of_month,
        figures.figure_value,
        figures.month_to,
        figures.value_type,
        figures.received_at,
        row_number() over (
            partition by
                figures.indicator_code,
                figures.admin_unit_code,
                figures.period_year,
                as_of_months.as_of_month
            order by
                figures.month_to desc,
                (figures.value_type = 'actual') desc,
                case when figures.value_type = 'actual' then -figures.grain_rank else figures.grain_rank end asc,
                figures.received_at desc
        ) as pick
    from figures
    inner join as_of_months on figures.month_to <= as_of_months.as_of_month
    where figures.aggregation = 'stock'
),

stock_values as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        as_of_month,
        figure_value as unit_value,
        month_to as covered_month,
        value_type = 'actual' as is_final,
        received_at as last_received_at
    from stock_candidates
    where pick = 1
),

flow_figures as (
    select * from figures
    where aggregation = 'flow'
),

flow_series as (
    select distinct
        indicator_code,
        admin_unit_code,
        period_year
    from flow_figures
),

quarter_cells as (
    select
        flow_series.indicator_code,
        flow_series.admin_unit_code,
        flow_series.period_year,
        quarters.quarter_no,
        count(monthly.figure_value) as months_reported,
        sum(monthly.figure_value) as months_value,
        max(monthly.month_to) as months_last,
        coalesce(bool_and(monthly.value_type = 'actual'), true) as months_final,
        max(monthly.received_at) as months_received_at,
        max(quarterly.figure_value) as quarter_value,
        coalesce(bool_and(quarterly.value_type = 'actual'), false) as quarter_final,
        max(quarterly.received_at) as quarter_received_at
    from flow_series
    cross join generate_series(1, 4) as quarters (quarter_no)
    left join flow_figures as monthly
        on
            flow_series.indicator_code = monthly.indicator_code
            and flow_series.admin_unit_code = monthly.admin_unit_code
            and flow_series.period_year = monthly.period_year
            and monthly.period_grain = 'month'
            and (monthly.month_to + 2) / 3 = quarters.quarter_no
    left join flow_figures as quarterly
        on
            flow_series.indicator_code = quarterly.indicator_code
            and flow_series.admin_unit_code = quarterly.admin_unit_code
            and flow_series.period_year = quarterly.period_year
            and quarterly.period_grain = 'quarter'
            and quarterly.month_to = quarters.quarter_no * 3
    group by
        flow_series.indicator_code,
        flow_series.admin_unit_code,
        flow_series.period_year,
        quarters.quarter_no
),

quarter_values as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        quarter_no,
        months_reported = 3 or quarter_value is not null as is_complete,
        case
            when quarter_value is not null and quarter_final then quarter_value
            when months_reported = 3 then months_value
            when quarter_value is not null then quarter_value
            else months_value
        end as part_value,
        case
            when months_reported = 3 or quarter_value is not null then quarter_no * 3
            else months_last
        end as covered_month,
        case
            when quarter_value is not null and quarter_final then true
            when months_reported = 3 then months_final
            when quarter_value is not null then false
            else months_final
        end as is_final,
        case
            when quarter_value is not null and quarter_final then quarter_received_at
            when months_reported = 3 then months_received_at
            when quarter_value is not null then quarter_received_at
            else months_received_at
        end as last_received_at
    from quarter_cells
    where months_reported > 0 or quarter_value is not null
),

span_parts as (
    -- quarters that end by the as-of month
    select
        quarter_values.indicator_code,
        quarter_values.admin_unit_code,
        quarter_values.period_year,
        as_of_months.as_of_month,
        quarter_values.part_value,
        quarter_values.covered_month,
        quarter_values.is_final,
        quarter_values.last_received_at
    from quarter_values
    inner join as_of_months on quarter_values.quarter_no * 3 <= as_of_months.as_of_month
    union all
    -- months of the quarter still running
    select
        flow_figures.indicator_code,
        flow_figures.admin_unit_code,
        flow_figures.period_year,
        as_of_months.as_of_month,
        flow_figures.figure_value as part_value,
        flow_figures.month_to as covered_month,
        flow_figures.value_type = 'actual' as is_final,
        flow_figures.received_at as last_received_at
    from flow_figures
    inner join as_of_months
        on
            flow_figures.month_to <= as_of_months.as_of_month
            and flow_figures.month_to > (as_of_months.as_of_month / 3) * 3
    where flow_figures.period_grain = 'month'
),

span_totals as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        as_of_month,
        sum(part_value) as unit_value,
        max(covered_month) as covered_month,
        bool_and(is_final) as is_final,
        max(last_received_at) as last_received_at
    from span_parts
    group by indicator_code, admin_unit_code, period_year, as_of_month
),

complete_years as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        count(*) filter (where is_complete) = 4 as has_all_quarters
    from quarter_values
    group by indicator_code, admin_unit_code, period_year
),

yearly as (
    select * from flow_figures
    where period_grain = 'year'
),

flow_values as (
    select
        flow_series.indicator_code,
        flow_series.admin_unit_code,
        flow_series.period_year,
        as_of_months.as_of_month,
        (
            as_of_months.as_of_month = 12
            and yearly.figure_value is not null
            and (
                yearly.value_type = 'actual'
                or not coalesce(complete_years.has_all_quarters, false)
            )
        ) as use_year_figure,
        span_totals.unit_value as span_value,
        span_totals.covered_month as span_covered_month,
        span_totals.is_final as span_final,
        span_totals.last_received_at as span_received_at,
        yearly.figure_value as year_value,
        yearly.value_type = 'actual' as year_final,
        yearly.received_at as year_received_at
    from flow_series
    cross join as_of_months
    left join span_totals
        on
            flow_series.indicator_code = span_totals.indicator_code
            and flow_series.admin_unit_code = span_totals.admin_unit_code
            and flow_series.period_year = span_totals.period_year
            and as_of_months.as_of_month = span_totals.as_of_month
    left join complete_years
        on
            flow_series.indicator_code = complete_years.indicator_code
            and flow_series.admin_unit_code = complete_years.admin_unit_code
            and flow_series.period_year = complete_years.period_year
    left join yearly
        on
            flow_series.indicator_code = yearly.indicator_code
            and flow_series.admin_unit_code = yearly.admin_unit_code
            and flow_series.period_year = yearly.period_year
),

flow_chosen as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        as_of_month,
        case when use_year_figure then year_value else span_value end as unit_value,
        case when use_year_figure then 12 else span_covered_month end as covered_month,
        case when use_year_figure then year_final else span_final end as is_final,
        case when use_year_figure then year_received_at else span_received_at end as last_received_at
    from flow_values
),

final as (
    select
        indicator_code,
        admin_unit_code,
        period_year,
        as_of_month,
        unit_value,
        covered_month,
        is_final,
        last_received_at
    from stock_values
    union all
    select
        indicator_code,
        admin_unit_code,
        period_year,
        as_of_month,
        unit_value,
        covered_month,
        is_final,
        last_received_at
    from flow_chosen
    where unit_value is not null
)

select * from final
