"""Fixtures of the reporting tests: a shifted catalog, a real SMTP server, raw figures."""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

# The project's packages live at the repository root, which plain ``pytest`` does not put
# on sys.path (``python -m pytest`` does).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from aiosmtpd.controller import Controller
from reporting_support import TEST_PLAN_YEAR, free_port, write_figures

from core import catalog as catalog_mod
from core.catalog import Catalog
from core.settings import CATALOG_DIR


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
        return write_figures(admin_conn, office_code, received, figures)

    return insert
