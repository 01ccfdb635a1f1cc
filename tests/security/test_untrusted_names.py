"""File names and paths from the offices are untrusted: no escape, no injection."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core import settings
from ingest import inbox, pipeline
from ingest.reconcile import reconcile

# Reconciliation must see only what this module did: other modules fabricate audit rows.
pytestmark = pytest.mark.usefixtures("fresh_warehouse")

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"


@given(st.text(min_size=0, max_size=300))
@hsettings(max_examples=300, deadline=None)
def test_a_stored_name_never_escapes_its_folder(name: str) -> None:
    safe = inbox.safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".")
    target = inbox.quarantine_path("tckh", name, "0" * 64)
    assert target.parent == settings.paths().quarantine / "tckh"


def test_a_symlink_out_of_the_inbox_is_never_read(platform_home: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("bí mật")
    folder = settings.paths().inbox / "yte"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "link.csv"
    link.symlink_to(secret)
    past = time.time() - 60
    os.utime(link, (past, past), follow_symlinks=False)
    try:
        assert all(f.path != link for f in inbox.scan(settings.paths().inbox, ["yte"], settle=0))
    finally:
        link.unlink()


def test_a_hostile_file_name_is_stored_safely_and_injects_nothing(platform_home: Path, admin_conn) -> None:
    name = "x'); drop table raw.submitted_figures; -- $(rm -rf ~) ‮gpj.csv"
    path = settings.paths().inbox / "vhtt" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "tourist_visits,Huyện,2022-08,512,chính thức,\n", encoding="utf-8")

    outcome = pipeline.ingest_file(path, "vhtt")

    assert outcome.status == "loaded"
    stored = Path(outcome.stored_path)
    assert stored.parent.parent == settings.paths().archive / "vhtt"
    assert "\u202e" not in stored.name
    with admin_conn.cursor() as cur:
        cur.execute("select original_name from audit.ingest_files where file_id = %s", (outcome.file_id,))
        assert "drop table" in cur.fetchone()[0]  # kept as data, never executed
        # the table is still there and holds the file's one row
        cur.execute("select value from raw.submitted_figures where file_id = %s", (outcome.file_id,))
        assert cur.fetchall() == [(512,)]
    assert reconcile().clean
