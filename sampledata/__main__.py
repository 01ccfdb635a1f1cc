"""CLI: ``python -m sampledata --out DIR [--seed 42] [--until YYYY-MM] [--scale-districts N --scale-years Y]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sampledata.generate import generate
from sampledata.scale import generate_scale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampledata", description="Write synthetic office submissions.")
    parser.add_argument("--out", type=Path, required=True, help="inbox folder to write <office>/... into")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--until", help="last month of 2022 to generate (YYYY-MM); default: the whole year")
    parser.add_argument("--scale-districts", type=int, help="scale mode: number of synthetic districts")
    parser.add_argument("--scale-years", type=int, default=1, help="scale mode: years per district")
    args = parser.parse_args(argv)
    if args.scale_districts:
        summary = generate_scale(args.out, args.scale_districts, args.scale_years, args.seed)
        print(json.dumps(summary, indent=1))
        return 0
    try:
        result = generate(args.out, args.seed, args.until)
    except ValueError as exc:
        parser.error(str(exc))
    manifest = json.loads(result.manifest.read_text("utf-8"))
    print(f"{manifest['file_count']} files, {manifest['row_count']} rows -> {args.out}", file=sys.stderr)
    print(json.dumps({k: manifest[k] for k in ("files_by_office", "files_by_purpose", "status_counts")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
