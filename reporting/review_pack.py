"""The leadership review pack: an Excel workbook and a PDF for one plan year as of one month.

Built at mid-year (sơ kết, as of June), at year end (tổng kết, as of December) and on
demand for any month. Reads only the marts, with the reader role; writes under
``<PLATFORM_HOME>/reports/<plan_year>-<as_of>/``. Files are written beside their final
name and renamed into place, so a reader never opens a half-written pack.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest import settings
from reporting import review_data, review_pdf, review_xlsx, vi_format

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewPack:
    folder: Path
    workbook: Path
    pdf: Path
    targets: int
    at_risk: int


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
        "review pack %s-%s: %d targets, %d at risk -> %s",
        plan_year,
        as_of,
        len(data.targets),
        len(data.at_risk),
        folder,
    )
    return ReviewPack(folder, workbook, pdf, len(data.targets), len(data.at_risk))
