{#- The day reporting compliance is judged on: var('as_of_date') when given, else the
    latest day any file was received, else today. Rendered as a SQL date expression. -#}
{% macro as_of_date_expr(files_relation) -%}
    {%- set given = var('as_of_date', '') -%}
    {%- if given -%}
        date '{{ given }}'
    {%- else -%}
        coalesce((select max(received_at)::date from {{ files_relation }}), current_date)
    {%- endif -%}
{%- endmacro %}
