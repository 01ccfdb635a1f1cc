"""Pulling figures from the offices' own systems (HTTP JSON APIs and SQL databases).

A source is declared in one YAML file under ``sources/``; the code here reads the
declaration, fetches, maps the answer to the canonical long layout and hands the result to
the same load path as a submitted file (``ingest.pipeline.ingest_records``).
"""
