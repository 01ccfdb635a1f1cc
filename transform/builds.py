"""What a dbt build selects: one place, so the transform DAG and the benchmark run the same build.

A load rebuilds only what the new rows touch (``source:raw+ source:audit+``) and runs the data
tests on it. dbt's unit tests are left out of those builds: they check the SQL's logic on
fixed inputs, which no load can change, so they run where the SQL changes instead: in CI
(``tests/dbt``), in ``make transform`` and in the first build of a new warehouse, which
builds everything before any mart exists.
"""

from __future__ import annotations

TOUCHED_BY_LOADS = ("source:raw+", "source:audit+")
NOT_IN_LOAD_BUILDS = ("unit_test",)


def load_build_args() -> list[str]:
    """``dbt build`` of what a load touched, data tests included, unit tests left out."""
    return ["build", "--select", *TOUCHED_BY_LOADS, "--exclude-resource-type", *NOT_IN_LOAD_BUILDS]


def build_args(marts_exist: bool) -> list[str]:
    """The transform DAG's build: a load build, or everything (unit tests first) on a new warehouse."""
    return load_build_args() if marts_exist else ["build"]
