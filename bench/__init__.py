"""Benchmarks: how fast figures reach the leadership, and how cost grows with data.

``python -m bench [--quick|--full]`` starts its own embedded PostgreSQL in a fresh state
folder, measures, and writes ``results.md`` and ``results.json`` under
``$PLATFORM_HOME/bench/`` of the caller.

May import: anything of the platform but ``dags`` (it drives ``runtime`` like ``make`` does);
nothing imports it. Like the tests, it sets environment variables for the code it measures.
"""
