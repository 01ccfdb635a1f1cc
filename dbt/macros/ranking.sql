{#- How the emulation ranking counts each attainment status: the one list the ranking uses.
      met       reached or on pace: counts 1;
      missed    behind pace, or missed at year end: counts 0;
      not_yet   "chưa đạt", a target without pace (a count of certified units, an
                assessment) not reached yet: left out before the year end (as-of
                December), counts 0 from then on;
      missing   a figure is missing: left out (lateness is scored as reporting, for the
                offices only).
    Any status not listed (a new one) is left out rather than guessed. -#}
{% macro ranking_status_list(group) -%}
    {%- set groups = {
        'met': ['vuot', 'dat', 'dung_tien_do'],
        'missed': ['cham_tien_do', 'khong_dat'],
        'not_yet': ['chua_dat'],
        'missing': ['thieu_so_lieu'],
    } -%}
    ('{{ groups[group] | join("', '") }}')
{%- endmacro %}

{#- A target's credit in the ranking as of a month: 1, 0, or null (left out of the score's
    denominator). -#}
{% macro ranking_credit(status, as_of_month) -%}
    case
        when {{ status }} in {{ ranking_status_list('met') }} then 1
        when {{ status }} in {{ ranking_status_list('missed') }} then 0
        when {{ status }} in {{ ranking_status_list('not_yet') }} and {{ as_of_month }} = 12 then 0
    end
{%- endmacro %}
