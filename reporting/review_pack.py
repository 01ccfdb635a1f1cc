"""The leadership review pack: an Excel workbook and a PDF for one plan year as of one month.

Built at mid-year (sơ kết, as of June), at year end (tổng kết, as of December) and on
demand for any month (``make review AS_OF=YYYY-MM``), from what has arrived: it never
fails for missing figures, it names them and the offices that owe them. Reads only the
marts, with the reader role; writes under ``<PLATFORM_HOME>/reports/<plan_year>-<as_of>/``.
Files are written beside their final name and renamed into place, so a reader never opens
a half-written pack.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import settings
from reporting import review_data, review_pdf, review_xlsx, vi_format

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewPack:
    folder: Path
    workbook: Path
    pdf: Path
    targets: int
    at_risk: int
    missing: int = 0  # figures due for the months up to as_of and not (completely) received


def output_folder(plan_year: int, as_of: str) -> Path:
    return settings.paths().reports / f"{plan_year}-{as_of}"


def _atomic(path: Path, writer) -> Path:
    partial = path.with_name(f".{path.name}.partial")
    writer(partial)
    os.replace(partial, path)
    return path


def build(as_of: str, plan_year: int | None = None, made_on: date | None = None) -> ReviewPack:
    """Build the pack as of month ``as_of`` (YYYY-MM); the plan year defaults to its year."""
    review_data.check_as_of(as_of)
    plan_year = plan_year or int(as_of[:4])
    data = review_data.read(plan_year, as_of)
    folder = output_folder(plan_year, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"bao_cao_{vi_format.review_kind(data.as_of_month)}_{plan_year}_den_{as_of}"
    workbook = _atomic(folder / f"{stem}.xlsx", lambda p: review_xlsx.write(data, p))
    pdf = _atomic(folder / f"{stem}.pdf", lambda p: review_pdf.write(data, p, made_on))
    log.info(
        "review pack %s-%s: %d targets, %d at risk, %d missing figures -> %s",
        plan_year,
        as_of,
        len(data.targets),
        len(data.at_risk),
        len(data.missing),
        folder,
    )
    return ReviewPack(folder, workbook, pdf, len(data.targets), len(data.at_risk), len(data.missing))


def main(argv: list[str] | None = None) -> int:
    """``python -m reporting.review_pack --as-of YYYY-MM`` (``make review AS_OF=YYYY-MM``)."""
    parser = argparse.ArgumentParser(description="Build the review pack (Excel + PDF) as of a month.")
    parser.add_argument("--as-of", required=True, help="YYYY-MM")
    parser.add_argument("--plan-year", type=int, default=None, help="default: the year of --as-of")
    args = parser.parse_args(argv)
    try:
        pack = build(args.as_of, plan_year=args.plan_year)
    except (ValueError, review_data.ReviewDataMissing) as error:
        print(error, file=sys.stderr)
        return 2
    print(f"{pack.workbook}\n{pack.pdf}")
    print(f"{pack.targets} targets, {pack.at_risk} at risk, {pack.missing} missing figures")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    raise SystemExit(main())
