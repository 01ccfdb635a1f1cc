{#- The `scoped` CTE of an incremental model over figure versions: on a full build every
    row of `relation` (a CTE); on an incremental run only the rows of the (indicator,
    unit, period) keys that received a version (matching `condition`) since the model's
    last run. "Since" is a look-back window: loaded at most `look_back` before the latest
    loaded_at the model holds, so that a load that committed late (with an older
    loaded_at) is not missed, and not already held (anti-join on figure_id). One new file
    therefore touches a handful of keys, not years of history. Emits the CTEs new_keys
    (incremental runs only) and scoped, without a trailing comma. `relation` is read twice:
    define it `as not materialized`, or PostgreSQL copies all of it before either read. -#}
{% macro scoped_to_new_keys(relation, condition=none, look_back="1 day") %}
    {% if is_incremental() %}
        new_keys as (
            select distinct
                {{ relation }}.indicator_code,
                {{ relation }}.admin_unit_code,
                {{ relation }}.period_code
            from {{ relation }}
            where
                {{ condition ~ ' and' if condition }}
                {{ relation }}.loaded_at >= {{ load_window_start(this, look_back) }}
                and not exists (
                    select 1 from {{ this }} as known
                    where known.figure_id = {{ relation }}.figure_id
                )
        ),

        scoped as (
            select {{ relation }}.*
            from {{ relation }}
            inner join new_keys
                on
                    {{ relation }}.indicator_code = new_keys.indicator_code
                    and {{ relation }}.admin_unit_code = new_keys.admin_unit_code
                    and {{ relation }}.period_code = new_keys.period_code
        )
    {% else %}
        scoped as (
            select * from {{ relation }}
        )
    {% endif %}
{% endmacro %}
