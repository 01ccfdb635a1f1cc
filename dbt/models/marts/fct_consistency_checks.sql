{#- One row per plan year x consistency check x as-of month: what leaders asked to see
    beside the figures, always as a warning (never an error, never a status):
      MT01A_LE_MT01  new star anise and camellia forest (MT01a) is part of all new forest
                     (MT01): the year to date of MT01a must not exceed MT01's over the
                     same months;
      XH03_LUY_KE    XH03's cumulative count of units meeting the national health
                     criteria ("lũy kế 15 xã", the number read from the target's note),
                     shown every month; a warning when the closed year ends below it.
    check_status: canh_bao (warning), hop_le (consistent), chua_kiem_tra (a figure is
    missing or the two cover different months). -#}
{#- A number as Vietnamese write it: 1.234,5 (no trailing zeros); COL is the column. -#}
{%- set vi_number = "translate(rtrim(to_char(COL, 'FM999G999G999G990D9999'), '.'), ',.', '.,')" -%}

with

attainment as (
    select * from {{ ref('int_target_status') }}
),

targets as (
    select * from {{ ref('stg_catalog__plan_targets') }}
),

indicators as (
    select * from {{ ref('stg_catalog__indicators') }}
),

-- MT01a <= MT01 for the same months
forest_pairs as (
    select
        part.plan_year,
        part.as_of_period,
        part.as_of_date,
        'MT01A_LE_MT01' as check_code,
        part.target_code,
        whole.target_code as compared_target_code,
        part.measure_value as observed_value,
        whole.measure_value as limit_value,
        part.covered_month,
        whole.covered_month as limit_covered_month,
        coalesce(part_indicator.unit, 'ha') as unit
    from attainment as part
    inner join targets as part_target
        on
            part.plan_year = part_target.plan_year
            and part.target_code = part_target.target_code
    left join indicators as part_indicator on part_target.indicator_code = part_indicator.indicator_code
    inner join attainment as whole
        on
            part.plan_year = whole.plan_year
            and part.as_of_period = whole.as_of_period
            and whole.target_code = 'MT01'
    where part.target_code = 'MT01a'
),

forest_checks as (
    select
        plan_year,
        as_of_period,
        as_of_date,
        check_code,
        target_code,
        compared_target_code,
        'Diện tích trồng rừng Hồi, Sở không vượt tổng diện tích trồng rừng mới' as check_name_vi,
        observed_value,
        limit_value,
        case
            when observed_value is null or limit_value is null or covered_month != limit_covered_month
                then 'chua_kiem_tra'
            when observed_value > limit_value then 'canh_bao'
            else 'hop_le'
        end as check_status,
        case
            when observed_value is null or limit_value is null
                then 'Chưa đủ số liệu để so sánh diện tích trồng rừng Hồi, Sở với tổng diện tích trồng rừng mới'
            when covered_month != limit_covered_month
                then
                    'Chưa so sánh được: diện tích trồng rừng Hồi, Sở có số liệu đến tháng '
                    || covered_month || '/' || plan_year
                    || ', tổng diện tích trồng rừng mới đến tháng '
                    || limit_covered_month || '/' || plan_year
            when observed_value > limit_value
                then
                    'Cảnh báo: diện tích trồng rừng Hồi, Sở lũy kế đến tháng ' || covered_month || '/' || plan_year
                    || ' (' || {{ vi_number | replace('COL', 'observed_value') }} || ' ' || unit
                    || ') lớn hơn tổng diện tích trồng rừng mới ('
                    || {{ vi_number | replace('COL', 'limit_value') }} || ' ' || unit
                    || '); đề nghị Hạt Kiểm lâm kiểm tra lại số liệu'
        end as message_vi
    from forest_pairs
),

-- XH03: the cumulative count of units meeting the health criteria, beside the target
health_rows as (
    select
        attainment.plan_year,
        attainment.as_of_period,
        attainment.as_of_date,
        attainment.target_code,
        attainment.measure_value as observed_value,
        substring(lower(targets.note) from 'lũy kế ([0-9]+)')::numeric as limit_value,
        attainment.covered_month,
        attainment.is_final,
        attainment.as_of_period like '%-12' and attainment.covered_month = 12 and attainment.is_final
            as is_year_closed
    from attainment
    inner join targets
        on
            attainment.plan_year = targets.plan_year
            and attainment.target_code = targets.target_code
    where attainment.target_code = 'XH03'
),

health_checks as (
    select
        plan_year,
        as_of_period,
        as_of_date,
        'XH03_LUY_KE' as check_code,
        target_code,
        null::text as compared_target_code,
        'Lũy kế số xã đạt Bộ tiêu chí quốc gia về Y tế xã' as check_name_vi,
        observed_value,
        limit_value,
        case
            when observed_value is null or limit_value is null then 'chua_kiem_tra'
            when is_year_closed and observed_value < limit_value then 'canh_bao'
            else 'hop_le'
        end as check_status,
        case
            when observed_value is null or limit_value is null
                then
                    'Chưa có số liệu xã đạt Bộ tiêu chí quốc gia về Y tế xã đến tháng '
                    || extract(month from as_of_date) || '/' || plan_year
            when is_year_closed and observed_value < limit_value
                then
                    'Cảnh báo: hết năm ' || plan_year || ' lũy kế mới có '
                    || {{ vi_number | replace('COL', 'observed_value') }}
                    || '/' || {{ vi_number | replace('COL', 'limit_value') }}
                    || ' xã đạt Bộ tiêu chí quốc gia về Y tế xã, chưa đạt lũy kế '
                    || {{ vi_number | replace('COL', 'limit_value') }} || ' xã theo kế hoạch'
            else
                'Lũy kế ' || {{ vi_number | replace('COL', 'observed_value') }}
                || '/' || {{ vi_number | replace('COL', 'limit_value') }}
                || ' xã đạt Bộ tiêu chí quốc gia về Y tế xã (đến tháng ' || covered_month || '/' || plan_year || ')'
        end as message_vi
    from health_rows
),

unioned as (
    select * from forest_checks
    union all
    select * from health_checks
),

final as (
    select
        plan_year,
        as_of_period,
        as_of_date,
        check_code,
        target_code,
        compared_target_code,
        check_name_vi,
        'warning' as severity,
        round(observed_value, 4) as observed_value,
        round(limit_value, 4) as limit_value,
        check_status,
        case check_status
            when 'canh_bao' then 'Cảnh báo'
            when 'hop_le' then 'Hợp lệ'
            when 'chua_kiem_tra' then 'Chưa kiểm tra được'
        end as check_status_vi,
        message_vi
    from unioned
)

select * from final
