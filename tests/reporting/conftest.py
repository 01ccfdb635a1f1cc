"""Fixtures of the reporting tests: a shifted catalog, a real SMTP server, raw figures."""

from __future__ import annotations

import csv
import hashlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest

# The project's packages live at the repository root, which plain ``pytest`` does not put
# on sys.path (``python -m pytest`` does).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from aiosmtpd.controller import Controller
from psycopg2.extras import execute_values
from reporting_support import TEST_PLAN_YEAR, free_port

from ingest import catalog as catalog_mod
from ingest.catalog import Catalog
from ingest.settings import CATALOG_DIR


@pytest.fixture(scope="session")
def shifted_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The project's catalog with its 2022 targets moved to ``TEST_PLAN_YEAR``."""
    folder = tmp_path_factory.mktemp("catalog")
    for path in CATALOG_DIR.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    with open(CATALOG_DIR / "plan_targets.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["plan_year"] for r in rows} == {"2022"}
    with open(folder / "plan_targets.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**r, "plan_year": str(TEST_PLAN_YEAR)} for r in rows)
    # Units valid through the test year too (the real ones end with the district level in 2025).
    with open(CATALOG_DIR / "admin_units.csv", encoding="utf-8", newline="") as handle:
        units = list(csv.DictReader(handle))
    with open(folder / "admin_units.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(units[0]))
        writer.writeheader()
        writer.writerows({**u, "valid_to": "2099-12-31"} if u["valid_to"] == "2025-06-30" else u for u in units)
    return catalog_mod.load(folder)


@dataclass
class Mailbox:
    """What the loopback SMTP server received."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A real SMTP server on loopback, published as Airflow connection ``smtp_default``."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}?from_email=noivu%40vanquan.example")
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture()
def insert_figures(admin_conn):
    """A function recording one loaded file with one district figure per (indicator, period)."""

    def insert(office_code: str, received: datetime, figures: list[tuple]) -> int:
        return _insert_figures(admin_conn, office_code, received, figures)

    return insert


DEFAULTS = ("VAN_QUAN", 1, "actual")  # unit, value and kind of a figure given as (indicator, period)


def _insert_figures(admin_conn, office_code: str, received: datetime, figures: list[tuple]) -> int:
    """Insert as superuser what the loader would have written for one file.

    A figure is ``(indicator, period)`` (a district figure of 1, actual) or
    ``(indicator, period, unit[, value[, value_type]])``.
    """
    digest = hashlib.sha256(f"{office_code}{received.isoformat()}{figures}".encode()).hexdigest()
    with admin_conn.cursor() as cur:
        cur.execute(
            """
            insert into audit.ingest_files (source_kind, source_name, office_code, original_name, sha256,
                                            received_at, status, rows_read, rows_loaded)
            values ('file', 'inbox', %s, %s, %s, %s, 'loaded', %s, %s)
            returning file_id
            """,
            (office_code, f"{office_code}-test.xlsx", digest, received, len(figures), len(figures)),
        )
        file_id = cur.fetchone()[0]
        rows = []
        for figure in figures:
            indicator, period, unit, value, value_type = (*figure, *DEFAULTS[len(figure) - 2 :])
            start, end, grain = _period_bounds(period)
            rows.append(
                (file_id, digest, office_code, indicator, unit, period, grain, start, end, value, value_type, received)
            )
        execute_values(
            cur,
            """
            insert into raw.submitted_figures (file_id, source_kind, source_name, source_sha256, office_code,
                indicator_code, admin_unit_code, period_code, period_grain, period_start, period_end, value,
                value_type, received_at)
            select v.file_id, 'file', 'inbox', v.digest, v.office_code, v.indicator, v.unit, v.period, v.grain,
                   v.period_start::date, v.period_end::date, v.value::numeric, v.value_type, v.received::timestamptz
            from (values %s) as v (file_id, digest, office_code, indicator, unit, period, grain, period_start,
                                   period_end, value, value_type, received)
            """,
            rows,
        )
    return file_id


def _period_bounds(period: str) -> tuple[date, date, str]:
    if "-Q" in period:
        year, quarter = int(period[:4]), int(period[-1])
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1), "quarter"
    if "-" in period:
        year, month = int(period[:4]), int(period[5:])
        end = date(year + (month == 12), month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(end.toordinal() - 1), "month"
    return date(int(period), 1, 1), date(int(period), 12, 31), "year"
