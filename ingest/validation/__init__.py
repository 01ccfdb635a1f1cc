"""Data quality with Great Expectations: submission suites, the mart suite, audit records, docs.

The suites are GX's; their verdicts are computed by ``masks`` (vectorised pandas, proven
equal to GX's engine by ``tests/validation``) and recorded in GX's store by ``context``.

Import the public API from ``ingest.validate``; GX itself is imported lazily on first use.
"""
