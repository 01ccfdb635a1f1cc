"""Hostile files through the real load path: each ends loaded or quarantined, with a reason."""

from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from core import settings
from ingest import pipeline
from ingest.reconcile import reconcile

# Reconciliation must see only what this module did: other modules fabricate audit rows.
# A regression that hangs a reader fails here instead of stalling the run (no speed is asserted).
pytestmark = [pytest.mark.usefixtures("fresh_warehouse"), pytest.mark.timeout(300)]

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"


def drop_bytes(name: str, data: bytes) -> Path:
    path = settings.paths().inbox / "congan" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: vowel shapes composed, tone marks combining."""
    shapes = "\u0302\u0306\u031b"  # circumflex, breve, horn belong to the letter
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if out and unicodedata.combining(char):
            base, marks = out[-1][0], out[-1][1:]
            if char in shapes:
                base = unicodedata.normalize("NFC", base + char)
            else:
                marks += char
            out[-1] = base + marks
        else:
            out.append(char)
    return "".join(out).encode("cp1258")


def row(value: str, month: int, note: str = "", unit: str = "Huyện") -> str:
    return f"traffic_deaths,{unit},2022-{month:02d},{value},chính thức,{note}\n"


CASES = {
    "empty.csv": b"",
    "only-header.csv": HEADER.encode(),
    "nan.csv": (HEADER + row("NaN", 1)).encode(),
    "infinity.csv": (HEADER + row("inf", 2) + row("1e309", 3)).encode(),
    "control-chars.csv": (HEADER + row("2", 4, note="ghi\x07chú\x1b[31m")).encode(),
    "rtl-marks.csv": (HEADER + row("2", 5, unit="\u202eHuyện\u202c")).encode(),
    "long-cell.csv": (HEADER + row("3", 6, note="x" * 1_000_000)).encode(),
    "mixed-encodings.csv": (HEADER + row("1", 7, note="đúng")).encode() + cp1258(row("1", 8, note="sai")),
    "binary-garbage.xlsx": os.urandom(4096),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_file_is_loaded_or_quarantined_with_a_reason(platform_home: Path, admin_conn, name: str) -> None:
    path = drop_bytes(name, CASES[name])

    outcome = pipeline.ingest_file(path, "congan")

    assert outcome.status in ("loaded", "loaded_with_warnings", "quarantined"), outcome
    assert not path.exists()
    if outcome.status == "quarantined":
        with admin_conn.cursor() as cur:
            cur.execute("select message_vi from audit.ingest_problems where file_id = %s", (outcome.file_id,))
            messages = [m for (m,) in cur.fetchall()]
        assert messages and all(m.strip() for m in messages)
    with admin_conn.cursor() as cur:
        cur.execute("select value from raw.submitted_figures where file_id = %s", (outcome.file_id,))
        values = [v for (v,) in cur.fetchall()]
    assert all(v.is_finite() for v in values), "NaN or infinity must never be stored"


def test_a_file_over_the_size_limit_is_refused_before_reading(
    platform_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INGEST_MAX_FILE_BYTES", "1000")
    path = drop_bytes("qua-lon.csv", (HEADER + row("1", 9) * 200).encode())
    outcome = pipeline.ingest_file(path, "congan")
    assert outcome.status == "quarantined"


def test_a_million_empty_rows_do_not_hang_the_reader(platform_home: Path, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for col, title in enumerate(HEADER.strip().split(","), start=1):
        sheet.cell(row=1, column=col, value=title)
    for col, value in enumerate(["traffic_deaths", "Huyện", "2022-10", 1, "chính thức"], start=1):
        sheet.cell(row=2, column=col, value=value)
    sheet.cell(row=1_048_576, column=1, value=" ")  # the sheet now spans every row Excel allows
    source = tmp_path / "trieu-dong-trong.xlsx"
    workbook.save(source)
    path = drop_bytes(source.name, source.read_bytes())
    outcome = pipeline.ingest_file(path, "congan")
    assert outcome.status in ("loaded", "loaded_with_warnings", "quarantined")


def test_nothing_is_unaccounted_for(platform_home: Path) -> None:
    assert reconcile().clean
