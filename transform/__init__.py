"""The transform: running dbt over the loaded figures and checking the marts it builds.

Owns running dbt as the transformer role (``transform.dbt_runner``; in the warm dbt
server, ``transform.warm_dbt``, when one serves), what each DAG's dbt command selects
(``transform.builds``) and the checks the marts must pass before the dashboards refresh.
Imports ``core`` and, for the Great Expectations machinery it shares with the load path,
``ingest.validation``; never ``runtime``, ``dags`` or the Superset code. Callers: the
transform DAG, ``runtime``, ``bench`` and the tests.
"""
