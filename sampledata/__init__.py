"""Synthetic, realistic submissions of the Văn Quan offices (demo, tests, benchmarks).

Every figure written here is invented; every file says so in its name (``_SYNTHETIC``) and
in its content. The output is deterministic for a given seed, byte for byte.

May import: ``core`` and ``ingest`` (it writes files in the offices' templates). Imported by
``standins``, ``runtime``, the benchmarks and the tests. See docs/architecture.md.
"""
