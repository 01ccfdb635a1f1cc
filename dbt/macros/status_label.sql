{#- Vietnamese label of an attainment status code, read from the vocabulary seed (the one
    place labels live): a lookup for models that show a status without joining the seed. -#}
{% macro status_label(status_column) -%}
    (
        select vocabulary.label_vi
        from {{ ref('stg_catalog__vocabulary') }} as vocabulary
        where
            vocabulary.domain = 'attainment_status'
            and vocabulary.code = {{ status_column }}
    )
{%- endmacro %}
