"""Shared pieces of the platform's DAGs (kept import-cheap)."""
