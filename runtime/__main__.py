"""Platform commands behind the Makefile: ``python -m runtime <command>``."""

from __future__ import annotations

import argparse
import subprocess
import sys


def _warehouse() -> None:
    from warehouse import bootstrap, server

    server.start_default()
    bootstrap.bootstrap()


def _psql() -> int:
    """A SQL shell on the warehouse as the transformer role (reads raw, audit and marts)."""
    from core import settings
    from warehouse.server import psql_path

    _warehouse()
    role = settings.psql_role()
    dsn = settings.role_dsn(role)
    env = {**settings.environment(), "PGPASSWORD": str(dsn["password"])}
    command = [psql_path(), "-h", str(dsn["host"]), "-p", str(dsn["port"]), "-U", str(dsn["user"]), str(dsn["dbname"])]
    if not sys.stdin.isatty():
        command += ["-v", "ON_ERROR_STOP=1", "-f", "-"]
    return subprocess.call(command, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m runtime")
    parser.add_argument(
        "command",
        choices=["demo", "stop", "warehouse", "psql", "transform", "dashboards", "attainment", "docs", "dbt-parse"],
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        from runtime import demo

        demo.main()
    elif args.command == "stop":
        from runtime import demo

        demo.stop()
        print("stopped")
    elif args.command == "warehouse":
        _warehouse()
    elif args.command == "psql":
        return _psql()
    elif args.command == "transform":
        from transform.dbt_runner import run_dbt

        _warehouse()
        run_dbt(["build"])
        from transform.marts import validate_marts

        validate_marts()
    elif args.command == "dashboards":
        from runtime import superset_service

        _warehouse()
        superset_service.setup()
        superset_service.start()
        superset_service.import_assets()
    elif args.command == "dbt-parse":
        from transform.dbt_runner import run_dbt

        run_dbt(["parse"])  # the manifest the transform DAG is rendered from; needs no database
    elif args.command == "attainment":
        from runtime.attainment import table

        print(table())
    elif args.command == "docs":
        from ingest.validate import build_data_docs
        from transform.dbt_runner import run_dbt

        _warehouse()
        run_dbt(["docs", "generate"])
        print(f"GX Data Docs: {build_data_docs()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
