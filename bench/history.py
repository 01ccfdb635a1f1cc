"""Load the sample generator's scale mode straight into the warehouse, with COPY.

Ingesting thousands of synthetic files one by one would take hours and measure the load
path again; the growth benchmark needs only the history. Each scale-mode csv becomes one
``audit.ingest_files`` row (status ``loaded``) and its figures one COPY into
``raw.submitted_figures``, with the same lineage columns the load path writes. Synthetic
district N is Văn Quan's design times its own factor, on the same units, so N districts
are N versions of every figure of the year: history N times the demo district.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import psycopg2
from psycopg2.extras import execute_values

from core import catalog as catalog_mod
from core import settings
from ingest import periods
from ingest.load import FIGURE_COLUMNS
from sampledata.scale import generate_scale

# A history file was loaded minutes after it was received, over the months it covers. Loaded
# all at once today it would sit inside the look-back window of every load build (the dbt
# macro new_rows_only) and make each build re-check the whole history: a first day's cost,
# not the steady state the growth benchmark measures.
LOADED_AFTER_RECEIPT = timedelta(minutes=5)


def _unit_codes(cat: catalog_mod.Catalog) -> dict[str, str]:
    codes = {unit.name_vi: code for code, unit in cat.units.items()}
    codes.update({alias.alias: alias.unit_code for alias in cat.aliases})
    codes.update({"huyện": cat.district().code, "district": cat.district().code})
    return codes


def _figures(path: Path, units: dict[str, str]) -> list[tuple[str, ...]]:
    """(indicator, unit code, period, grain, start, end, value, value_type, note, row) per data row."""
    rows: list[tuple[str, ...]] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for index, (indicator, unit, period_text, value, value_type, note) in enumerate(reader, start=2):
            period = periods.parse_code(period_text)
            if period is None:
                raise ValueError(f"{path.name}: period {period_text!r}")
            rows.append(
                (
                    indicator,
                    units[unit],
                    period.code,
                    period.grain,
                    period.start.isoformat(),
                    period.end.isoformat(),
                    value.replace(",", ""),
                    value_type,
                    note,
                    str(index),
                )
            )
    return rows


def _sha256(path: Path) -> str:
    """Unique per synthetic file: some district-years render byte-identical files, which the
    load path would record as duplicates; the name is hashed in to keep them all."""
    return hashlib.sha256(path.name.encode() + b"\0" + path.read_bytes()).hexdigest()


def generate(work: Path, districts: int) -> Path:
    """The scale-mode files of ``districts`` synthetic districts, one year (2022) each."""
    out = work / "scale"
    generate_scale(out, districts, 1)
    return out


def load_range(out: Path, first_district: int, last_district: int) -> dict[str, int]:
    """Load the generated districts first..last; returns how many files and rows."""
    cat = catalog_mod.default()
    units = _unit_codes(cat)
    prefixes = tuple(f"d{d:03d}_" for d in range(first_district, last_district + 1))
    paths = sorted(p for p in out.rglob("*.csv") if p.name.startswith(prefixes))
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    n_rows = 0
    try:
        with conn, conn.cursor() as cur:
            parsed = [(p, _figures(p, units)) for p in paths]
            audit = []
            for path, figures in parsed:
                end = max(datetime.fromisoformat(f[5]) for f in figures) if figures else datetime(2022, 12, 31)
                received = datetime.combine(end.date() + timedelta(days=15), time(9), UTC)
                audit.append(
                    (
                        "file",
                        f"inbox/{path.parent.name}",
                        path.parent.name,
                        path.name,
                        path.name,
                        _sha256(path),
                        path.stat().st_size,
                        received,
                        "loaded",
                        "long",
                        len(figures),
                        len(figures),
                    )
                )
            ids = execute_values(
                cur,
                "insert into audit.ingest_files (source_kind, source_name, office_code, original_name,"
                " relative_path, sha256, size_bytes, received_at, status, layout, rows_read, rows_loaded)"
                " values %s returning file_id",
                audit,
                page_size=1000,
                fetch=True,
            )
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for (file_id,), (path, figures), meta in zip(ids, parsed, audit, strict=True):
                for f in figures:
                    # files have no source change time (empty: null); history was loaded when it
                    # arrived, not all at once today (LOADED_AFTER_RECEIPT)
                    writer.writerow(
                        (
                            *(file_id, "file", meta[1], meta[5], meta[2], *f[:9], path.stem, f[9], ""),
                            *(meta[7].isoformat(), "", (meta[7] + LOADED_AFTER_RECEIPT).isoformat()),
                        )
                    )
                    n_rows += 1
            buffer.seek(0)
            cur.copy_expert(
                f"copy raw.submitted_figures ({', '.join((*FIGURE_COLUMNS, 'loaded_at'))})"
                " from stdin with (format csv, null '')",
                buffer,
            )
    finally:
        conn.close()
    return {"files": len(paths), "rows": n_rows}
