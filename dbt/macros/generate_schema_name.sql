{#- Schemas are exactly catalog / staging / intermediate / marts: no target-schema prefix,
    because the bootstrap creates them and grants on them by these names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
