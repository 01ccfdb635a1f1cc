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
