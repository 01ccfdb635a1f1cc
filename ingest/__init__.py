"""Detect, read, validate and load the offices' figures into the warehouse.

Owns the inbox, the readers and parsers, the Great Expectations suites and machinery of
``ingest.validation`` (the transform's mart checks use it too), the load transaction, the
audit trail, the error reports to offices and the pulls from the offices' own systems.

May import: ``core`` only. Imported by the transform, the DAGs, ``runtime``, ``sampledata``
(its templates), the Airflow plugin, the benchmarks and the tests. See docs/architecture.md.
"""
