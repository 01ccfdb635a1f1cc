"""Every Great Expectations suite of the platform, and the command that keeps the committed files in step.

    python -m transform.suites --write   # suites, validation definitions, checkpoints
    python -m transform.suites --check   # exit 1 if the committed files differ

The list is ingestion's suites (``ingest.validation.project``) plus the mart suite, so it lives
here, above both: ingest never imports the transform.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core import catalog as catalog_mod
from ingest.validation.project import ingestion_suites, stale_files, write_suites
from transform.mart_suite import mart_suite


def all_suites(cat: catalog_mod.Catalog | None = None) -> list[tuple[dict[str, Any], str]]:
    """Every suite of the platform with the data asset it runs on."""
    cat = cat or catalog_mod.default()
    return [*ingestion_suites(cat), (mart_suite(cat), "mart_attainment")]


def stale_suite_files() -> list[str]:
    """Generated files whose committed text differs from what the catalog generates now."""
    return stale_files(all_suites())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m transform.suites", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate the suites from the catalog")
    group.add_argument("--check", action="store_true", help="fail if the committed suites are stale")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_suites(all_suites()):
            print(path)
        return 0
    stale = stale_suite_files()
    for rel in stale:
        print(f"stale: {rel}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
