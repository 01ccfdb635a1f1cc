"""Engineer commands: ``python -m ingest {file,inbox,reconcile}``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def _print_outcome(outcome) -> None:
    print(
        f"{outcome.status:<22} {outcome.office_code:<8} {outcome.original_name}  "
        f"loaded={outcome.rows_loaded} rejected={outcome.rows_rejected} errors={outcome.errors} "
        f"warnings={outcome.warnings}"
    )
    print(f"    {outcome.message_vi}")
    if outcome.report_path:
        print(f"    báo cáo lỗi / error report: {outcome.report_path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest")
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("file", help="run one file through the same path the inbox DAG uses")
    one.add_argument("path", type=Path)
    one.add_argument("--office", required=True, help="office folder code, e.g. tckh")
    sub.add_parser("inbox", help="process every ready file of the inboxes once")
    sub.add_parser("reconcile", help="check every file and row is accounted for")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from ingest import pipeline

    if args.command == "file":
        try:
            outcome = pipeline.ingest_file(args.path, args.office)
        except pipeline.UnknownOffice as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        _print_outcome(outcome)
        if outcome.status in ("quarantined", "failed"):
            # a script must tell a refusal from a load: say it and exit non-zero
            print(f"error: file {outcome.status}, nothing loaded from it", file=sys.stderr)
            return 1
        return 0
    if args.command == "inbox":
        outcomes = pipeline.process_inbox()
        for outcome in outcomes:
            _print_outcome(outcome)
        print(f"{len(outcomes)} file(s) processed")
        return 0
    from ingest.reconcile import reconcile

    report = reconcile()
    print("\n".join(report.lines()))
    return 0 if report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
