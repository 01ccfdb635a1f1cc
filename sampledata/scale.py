"""Scale mode: the same kind of files for many synthetic districts and years (benchmarks).

Each synthetic district is Văn Quan's design multiplied by its own factor, so figures stay
plausible for the catalog's units; its files carry a ``dNNN_`` prefix. Files are csv only,
written one at a time (nothing is kept in memory beyond one district-year).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from core import calendar
from core import catalog as catalog_mod
from core.catalog import Catalog
from sampledata.plan import Row, Submission
from sampledata.render import render_csv
from sampledata.truth import DESIGN, build_year, scaled

FIRST_YEAR = 2020  # the 17 units of today exist from 1 Jan 2020 (the mergers) ...
LAST_YEAR = 2024  # ... to 30 Jun 2025 (district level abolished)
STYLE = ("long", "csv", "intl", "en", "code", "name")


def years_of(count: int) -> list[int]:
    """``count`` consecutive years in which today's 17 units exist, starting from 2022 if possible."""
    if not 1 <= count <= LAST_YEAR - FIRST_YEAR + 1:
        raise ValueError(f"--scale-years must be 1..{LAST_YEAR - FIRST_YEAR + 1}")
    start = max(FIRST_YEAR, min(2022, LAST_YEAR - count + 1))
    return list(range(start, start + count))


def submissions(cat: Catalog, district: int, year: int, seed: int) -> Iterator[Submission]:
    """One district-year's files, office by office, period by period."""
    rng = random.Random(f"{seed}-scale-{district}-{year}")
    factor = rng.uniform(0.7, 1.3) * (1 + 0.04 * (year - 2022))
    values = build_year(cat, year, scaled(DESIGN[2022], factor), rng)
    prefix = f"d{district:03d}_"
    for office in sorted(code for code, o in cat.offices.items() if o.submits):
        indicators = cat.indicators_of(office)
        cadence = "monthly" if any(i.frequency == "monthly" for i in indicators) else "quarterly"
        for period in calendar.periods(cadence, year):
            code, end = period.code, period.end
            wanted = {(i.code, p.code) for i in indicators for p in calendar.periods(i.frequency, year) if p.end == end}
            rows = [Row(i, u, p, v, "actual") for (i, u, p), v in values.items() if (i, p) in wanted]
            due = min(calendar.due_date(i, period) for i in indicators) - timedelta(days=2)
            yield Submission(
                office,
                f"{prefix}{office}_{code}_SYNTHETIC",
                datetime(due.year, due.month, due.day, 9),
                "regular",
                rows,
                STYLE,
            )


def generate_scale(out: Path, districts: int, years: int, seed: int = 42, cat: Catalog | None = None) -> dict:
    """Write ``districts`` × ``years`` synthetic district-years of csv files; return a summary."""
    cat = cat or catalog_mod.default()
    files = rows = 0
    for district in range(1, districts + 1):
        for year in years_of(years):
            for sub in submissions(cat, district, year, seed):
                folder = out / sub.office
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{sub.stem}.csv").write_bytes(render_csv(cat, sub))
                files += 1
                rows += len(sub.rows)
    summary = {
        "synthetic": True,
        "mode": "scale",
        "seed": seed,
        "districts": districts,
        "years": years_of(years),
        "file_count": files,
        "row_count": rows,
    }
    (out / "scale_manifest.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", "utf-8")
    return summary
