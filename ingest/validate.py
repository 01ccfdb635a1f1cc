"""Data quality entry points (Great Expectations), and the command that regenerates the suites.

    python -m ingest.validate --write-suites   # suites, validation definitions, checkpoints
    python -m ingest.validate --check-suites   # exit 1 if the committed files differ
    python -m ingest.validate --docs           # build the data docs site

The marts are checked after dbt by the transform (``python -m transform.marts``).

Importing this module does not import Great Expectations; the functions do, on first call.
"""

from __future__ import annotations

import argparse
import logging
import sys

from ingest.validation.docs import build_data_docs
from ingest.validation.outcome import ExpectationOutcome, ValidationOutcome, rejected_rows
from ingest.validation.record import record_validation
from ingest.validation.submission import validate_submission

__all__ = [
    "ExpectationOutcome",
    "ValidationOutcome",
    "build_data_docs",
    "record_validation",
    "rejected_rows",
    "stale_suite_files",
    "validate_submission",
]


def stale_suite_files() -> list[str]:
    """Generated files whose committed text differs from what the catalog generates now."""
    from core import catalog
    from core.settings import EXPECTATIONS_DIR
    from ingest.validation.project import render_files

    stale = []
    for rel, text in render_files(catalog.default()).items():
        path = EXPECTATIONS_DIR / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(rel)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.validate", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write-suites", action="store_true", help="regenerate the suites from the catalog")
    group.add_argument("--check-suites", action="store_true", help="fail if the committed suites are stale")
    group.add_argument("--docs", action="store_true", help="build the GX data docs site")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.write_suites:
        from ingest.validation.project import write_suites

        for path in write_suites():
            print(path)
        return 0
    if args.check_suites:
        stale = stale_suite_files()
        for rel in stale:
            print(f"stale: {rel}", file=sys.stderr)
        return 1 if stale else 0
    print(build_data_docs())
    return 0


if __name__ == "__main__":
    sys.exit(main())
