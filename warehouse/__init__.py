"""Start, stop and bootstrap the PostgreSQL warehouse.

Owns the embedded server (``server``) and the idempotent bootstrap of roles, schemas and
tables (``bootstrap``, ``sql/``).

May import: ``core`` only. Imported by ``runtime``, the benchmarks and the tests.
See docs/architecture.md.
"""
