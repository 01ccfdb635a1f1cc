"""Data quality with Great Expectations: submission suites, the mart suite, audit records, docs.

Import the public API from ``ingest.validate``; GX itself is imported lazily on first use.
"""
