"""What every layer of the platform shares: settings, the catalog, the calendar, the vocabularies.

Owns ``settings`` (the only reader of the environment, the local time zone), ``catalog``
(the targets, indicators, units and offices of ``dbt/seeds/catalog``), ``calendar`` (the one
reporting calendar) and ``vocabulary`` (every code's Vietnamese label and colour, from
``dbt/seeds/catalog/vocabulary.csv``).

May import: nothing of the platform (no ``ingest``, ``transform``, ``reporting``, ``runtime``,
``dags``); every other package may import it. Standard library only, so the Superset
environment can import it too. See docs/architecture.md.
"""
