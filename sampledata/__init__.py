"""Synthetic, realistic submissions of the Văn Quan offices (demo, tests, benchmarks).

Every figure written here is invented; every file says so in its name (``_SYNTHETIC``) and
in its content. The output is deterministic for a given seed, byte for byte.
"""
