{#- The start of the look-back window of an incremental model over figure versions, as a
    literal: `look_back` before the latest loaded_at `held` holds ('-infinity' when it holds
    none). Read when the model or test runs, so the planner sees a value and reaches the new
    rows through the loaded_at index instead of reading every figure of the history. -#}
{% macro load_window_start(held, look_back="1 day") %}
    {%- if not execute -%}
        {%- do return("'-infinity'::timestamptz") -%}
    {%- endif -%}
    {%- set query -%}
        select coalesce(max(loaded_at) - interval '{{ look_back }}', '-infinity'::timestamptz)::text
        from {{ held }}
    {%- endset -%}
    {%- do return("'" ~ run_query(query).columns[0].values()[0] ~ "'::timestamptz") -%}
{% endmacro %}


{#- `where: __new_rows_only__` on a data test of raw figures: in a load's build, only the
    rows that build takes in, i.e. the look-back window of the incremental figure versions
    (macro scoped_to_new_keys). Every older row was checked by the build that took it in.
    Every row is checked on a warehouse whose figure versions were never built, in a
    --full-refresh build, and with --vars 'check_all_rows: true' (the nightly full check). -#}
{% macro new_rows_only() %}
    {%- set versions = adapter.get_relation(
        database=target.database, schema="intermediate", identifier="int_figure_versions"
    ) if execute else none -%}
    {%- if versions is none or flags.FULL_REFRESH or var("check_all_rows", false) -%}
        {%- do return("true") -%}
    {%- endif -%}
    {%- do return("loaded_at >= " ~ load_window_start(versions)) -%}
{% endmacro %}


{#- dbt's own get_where_subquery, with one placeholder: the `where` of generic tests cannot
    call a project macro (dbt renders it before project macros exist), so the tests name
    __new_rows_only__ and it is replaced here, when the test runs. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get("where", "") -%}
    {%- if not where -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- set where = where | replace("__new_rows_only__", new_rows_only()) -%}
    {%- do return("(select * from " ~ relation ~ " where " ~ where ~ ") as dbt_subquery") -%}
{%- endmacro %}
