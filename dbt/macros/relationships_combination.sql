{#- Generic test: fails with every row whose combination of `columns` (none of them null)
    is not a combination of `fields` in `to` (its rows restricted by `to_where`): the
    relationships test for a key of several columns, such as (plan_year, target_code), or
    a code with its label in the vocabulary. -#}
{% test relationships_combination(model, columns, to, fields, to_where="true") %}
select child.*
from {{ model }} as child
left join (select * from {{ to }} where {{ to_where }}) as parent
    on {% for column in columns %}{% if not loop.first %} and {% endif %}child.{{ column }} = parent.{{ fields[loop.index0] }}{% endfor %}
where parent.{{ fields[0] }} is null and child.{{ columns | join(' is not null and child.') }} is not null
{% endtest %}
