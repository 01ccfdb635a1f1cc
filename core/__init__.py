"""What every layer of the platform shares: settings, the catalog, the calendar, the vocabularies.

This package imports nothing of the platform (no ``ingest``, ``reporting``, ``runtime``,
``dags``); everything else may import it. It is standard library only, so the Superset
environment can import it too.
"""
