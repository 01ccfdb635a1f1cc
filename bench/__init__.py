"""Benchmarks: how fast figures reach the leadership, and how cost grows with data.

``python -m bench [--quick|--full]`` starts its own embedded PostgreSQL in a fresh state
folder, measures, and writes ``results.md`` and ``results.json`` under
``$PLATFORM_HOME/bench/`` of the caller.
"""
