"""Write the demo inbox: every office's synthetic files for the baseline and plan years.

Layout: ``<out>/<office_code>/<office>_<period>[_<purpose>]_SYNTHETIC.<xlsx|csv>`` plus
``<out>/manifest.json`` (what was written, when each file was "sent", and the outcome each
target is meant to show). File modification times are set to the sending time so that an
inbox that orders by time replays the year in order; names sort in the same order.
"""

from __future__ import annotations

import calendar
import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core import calendar as core_calendar
from core import catalog as catalog_mod
from core.catalog import Catalog
from sampledata import emulation, outcomes
from sampledata.plan import Submission, applied, plan_office
from sampledata.render import render
from sampledata.truth import DESIGN, Values, build_year

PLAN_YEAR = 2022
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Result:
    files: list[Path]
    manifest: Path


def month_end(text: str | None, plan_year: int = PLAN_YEAR) -> date:
    """``2022-09`` -> 30 Sep 2022; None -> the end of the plan year."""
    if not text:
        return date(plan_year, 12, 31)
    year, month = (int(x) for x in text.split("-"))
    if year != plan_year or not 1 <= month <= 12:
        raise ValueError(f"--until must be a month of {plan_year} (YYYY-MM), got {text!r}")
    return core_calendar.month(year, month).end


def truth(cat: Catalog, seed: int) -> Values:
    """The true figures of the baseline and the plan year (one random stream per year)."""
    values: Values = {}
    for year in (PLAN_YEAR - 1, PLAN_YEAR):
        values |= build_year(cat, year, DESIGN[year], random.Random(f"{seed}-truth-{year}"))
    return values


def plan(cat: Catalog, seed: int, until: date) -> tuple[Values, list[Submission]]:
    values = truth(cat, seed)
    subs: list[Submission] = []
    for office in sorted(code for code, o in cat.offices.items() if o.submits):
        subs += plan_office(cat, office, values, PLAN_YEAR, until, random.Random(f"{seed}-plan-{office}"))
    subs.sort(key=lambda s: (s.submitted_at, s.stem))
    return values, subs


def _utime(path: Path, sub: Submission) -> None:
    stamp = calendar.timegm(sub.submitted_at.timetuple())
    os.utime(path, (stamp, stamp))


def generate(out: Path, seed: int = 42, until: str | None = None, cat: Catalog | None = None) -> Result:
    """Write the demo inbox tree and its manifest into ``out``."""
    cat = cat or catalog_mod.default()
    last_day = month_end(until)
    _, subs = plan(cat, seed, last_day)
    files: list[Path] = []
    entries = []
    for sub in subs:
        folder = out / sub.office
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{sub.stem}.{sub.extension}"
        path.write_bytes(render(cat, sub, PLAN_YEAR))
        _utime(path, sub)
        files.append(path)
        entries.append(
            {
                "path": f"{sub.office}/{path.name}",
                "office_code": sub.office,
                "submitted_at": sub.submitted_at.isoformat(),
                "purpose": sub.purpose,
                "layout": sub.style[0],
                "format": sub.style[1],
                "number_style": sub.style[2],
                "rows": len(sub.rows),
                "estimates": sum(1 for r in sub.rows if r.value_type == "estimate"),
                "periods": sorted({r.period for r in sub.rows}),
            }
        )
    in_force = applied(subs)
    targets = outcomes.manifest_targets(cat, in_force, PLAN_YEAR, last_day.month)
    manifest = {
        "synthetic": True,
        "note": "Dữ liệu mô phỏng (SYNTHETIC) - không phải số liệu thật của huyện Văn Quan",
        "seed": seed,
        "plan_year": PLAN_YEAR,
        "baseline_year": PLAN_YEAR - 1,
        "until": f"{last_day:%Y-%m}",
        "file_count": len(files),
        "files_by_office": dict(sorted(Counter(e["office_code"] for e in entries).items())),
        "files_by_purpose": dict(sorted(Counter(e["purpose"] for e in entries).items())),
        "row_count": sum(e["rows"] for e in entries),
        "status_rule": outcomes.RULE.strip(),
        "status_counts": dict(sorted(Counter(t["status"] for t in targets.values()).items())),
        "targets": targets,
        "files": entries,
    }
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    emulation.write_files(out, last_day, cat)  # Phòng Nội vụ's records (noivu/), outside the figures' manifest
    return Result(files, manifest_path)
