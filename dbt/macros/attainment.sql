{#- The achievement rule of each target kind, applied to a value in the target's unit.
    at_least: value >= target; more_than: value > target (exactly at the threshold is not
    achieved); growth_range, increase_by, reduce_by_points, reduce_by_pct: value >= target
    (the value is already the growth, increase or reduction); assessment: value = 1. -#}
{% macro meets_target(kind, value, target) -%}
    case {{ kind }}
        when 'more_than' then {{ value }} > {{ target }}
        when 'assessment' then {{ value }} >= 1
        else {{ value }} >= {{ target }}
    end
{%- endmacro %}

{#- "Vượt": growth above the top of the band; other numeric kinds at least
    var('exceeded_margin') above the target; an assessment is never exceeded. -#}
{% macro exceeds_target(kind, value, target, target_high) -%}
    case {{ kind }}
        when 'growth_range' then coalesce({{ value }} > {{ target_high }}, false)
        when 'assessment' then false
        else {{ target }} > 0 and {{ value }} >= {{ target }} * (1 + {{ var('exceeded_margin') }})
    end
{%- endmacro %}

{#- A measure in the target's own unit, given the previous year's value it compares with:
    growth_range 100 x (now / baseline - 1); increase_by now - baseline; reduce_by_points
    baseline - now; reduce_by_pct 100 x (baseline - now) / baseline; other kinds the
    measure itself. A zero baseline gives null where a percentage is needed. -#}
{% macro in_target_unit(kind, value, baseline) -%}
    case {{ kind }}
        when 'growth_range' then 100 * ({{ value }} / nullif({{ baseline }}, 0) - 1)
        when 'increase_by' then {{ value }} - {{ baseline }}
        when 'reduce_by_points' then {{ baseline }} - {{ value }}
        when 'reduce_by_pct' then 100 * ({{ baseline }} - {{ value }}) / nullif({{ baseline }}, 0)
        else {{ value }}
    end
{%- endmacro %}
