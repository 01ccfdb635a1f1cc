{#- A target's credit in the emulation ranking as of a month, from its status's
    ranking_group in the vocabulary seed (stg_catalog__vocabulary):
      met       reached or on pace: 1;
      missed    behind pace, or missed at year end: 0;
      not_yet   "chưa đạt", a target without pace (a count of certified units, an
                assessment) not reached yet: left out (null) before the year end (as-of
                December), 0 from then on;
      missing   a figure is missing: left out (lateness is scored as reporting, for the
                offices only).
    A status without a group (a new one) is left out rather than guessed. -#}
{% macro ranking_credit(ranking_group, as_of_month) -%}
    case
        when {{ ranking_group }} = 'met' then 1
        when {{ ranking_group }} = 'missed' then 0
        when {{ ranking_group }} = 'not_yet' and {{ as_of_month }} = 12 then 0
    end
{%- endmacro %}
