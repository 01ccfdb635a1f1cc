"""``python -m ingest.systems list`` | ``pull NAME [NAME...]`` | ``repull NAME --since TIME``.

``repull`` asks one source again from ``TIME`` (ISO 8601 or dd/mm/yyyy; local time unless an
offset is given) instead of its watermark: records rejected earlier (an unknown commune, an
indicator not yet in the catalog) load once the catalog is fixed; figures already loaded are
not loaded twice, and the watermark does not move back.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ingest.systems.errors import SourceError
from ingest.systems.pull import pull
from ingest.systems.spec import load_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ingest.systems", description="Pull figures from the offices' systems")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the declared sources")
    one = sub.add_parser("pull", help="pull sources now (all when none is named)")
    one.add_argument("names", nargs="*")
    again = sub.add_parser("repull", help="pull one source again from a given time (after a catalog fix)")
    again.add_argument("name")
    again.add_argument("--since", required=True, help="ISO 8601 or dd/mm/yyyy, e.g. 2022-01-01")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    specs = load_all()
    if args.command == "list":
        for spec in specs.values():
            print(f"{spec.name}\t{spec.office_code}\t{spec.kind}\t{spec.connection}\t{spec.schedule}")
        return 0
    if args.command == "repull":
        if args.name not in specs:
            print(f"unknown source {args.name!r}; declared: {', '.join(specs)}", file=sys.stderr)
            return 2
        try:
            outcome = pull(args.name, since=args.since)
        except SourceError as exc:
            print(f"{args.name}: FAILED {exc}", file=sys.stderr)
            return 1
        print(f"{args.name}: {outcome.status}, {outcome.rows_loaded} rows (file_id {outcome.file_id})")
        return 0
    failed = 0
    for name in args.names or list(specs):
        try:
            outcome = pull(name)
        except SourceError as exc:
            print(f"{name}: FAILED {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{name}: {outcome.status}, {outcome.rows_loaded} rows (file_id {outcome.file_id})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
