"""The whole load path on a real warehouse: loaded, duplicate, quarantined, rejected, failed."""

from __future__ import annotations

import os
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core import settings
from ingest import inbox, pipeline
from ingest.reconcile import reconcile

# Reconciliation must see only what this module did: other modules fabricate audit rows.
pytestmark = pytest.mark.usefixtures("fresh_warehouse")

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"


def drop(office: str, name: str, body: str, age: float = 60) -> Path:
    """Write a file into an office inbox as staff would, already 'still' for ``age`` seconds."""
    path = settings.paths().inbox / office / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def figures(admin_conn, file_id: int) -> list[tuple]:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select indicator_code, admin_unit_code, period_code, value, value_type, source_row, office_code,"
            " source_sha256, sheet_name from raw.submitted_figures where file_id = %s order by source_row",
            (file_id,),
        )
        return cur.fetchall()


def test_a_good_file_is_loaded_with_lineage_and_archived(platform_home: Path, admin_conn) -> None:
    path = drop(
        "tckh",
        "thu-ngan-sach-t5.csv",
        "budget_revenue,Huyện,Tháng 5/2022,1650,chính thức,\nbudget_revenue,Huyện,Tháng 6/2022,1720,ước,tạm tính\n",
    )
    sha = pipeline.sha256_of(path)

    outcome = pipeline.ingest_file(path, "tckh", relative_path="thu-ngan-sach-t5.csv")

    assert outcome.status == "loaded", outcome
    assert outcome.rows_loaded == 2
    assert not path.exists()
    archived = Path(outcome.stored_path)
    assert archived.parent.parent == settings.paths().archive / "tckh"
    assert pipeline.sha256_of(archived) == sha  # the raw file is kept unchanged
    rows = figures(admin_conn, outcome.file_id)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows] == [
        ("budget_revenue", "VAN_QUAN", "2022-05", Decimal("1650"), "actual", 2, "tckh", sha),
        ("budget_revenue", "VAN_QUAN", "2022-06", Decimal("1720"), "estimate", 3, "tckh", sha),
    ]
    with admin_conn.cursor() as cur:
        cur.execute(
            "select status, original_name, rows_loaded, received_at is not null from audit.ingest_files"
            " where file_id = %s",
            (outcome.file_id,),
        )
        assert cur.fetchone() == ("loaded", "thu-ngan-sach-t5.csv", 2, True)


def test_the_same_bytes_again_are_a_duplicate_and_load_nothing(platform_home: Path, admin_conn) -> None:
    body = "tourist_visits,Huyện,05/2022,430,chính thức,\n"
    first = pipeline.ingest_file(drop("vhtt", "khach-t5.csv", body), "vhtt")
    again = pipeline.ingest_file(drop("vhtt", "khach-t5 (1).csv", body), "vhtt")

    assert first.status == "loaded"
    assert again.status == "duplicate"
    assert again.rows_loaded == 0
    assert figures(admin_conn, again.file_id) == []
    with admin_conn.cursor() as cur:
        cur.execute("select duplicate_of from audit.ingest_files where file_id = %s", (again.file_id,))
        assert cur.fetchone() == (first.file_id,)


def test_earlier_bytes_sent_again_after_a_correction_are_a_new_submission(platform_home: Path, admin_conn) -> None:
    """Rule 1: the version submitted last counts. Re-sending the original to undo a correction
    loads it again; sending it once more while it is current is only a duplicate."""
    original = "tourist_visits,Huyện,07/2022,500,chính thức,\n"
    correction = "tourist_visits,Huyện,07/2022,520,chính thức,\n"
    first = pipeline.ingest_file(drop("vhtt", "khach-t7.csv", original, age=400), "vhtt")
    fixed = pipeline.ingest_file(drop("vhtt", "khach-t7-sua.csv", correction, age=300), "vhtt")
    undo = pipeline.ingest_file(drop("vhtt", "khach-t7-lai.csv", original, age=200), "vhtt")
    again = pipeline.ingest_file(drop("vhtt", "khach-t7-lai (1).csv", original, age=100), "vhtt")

    assert [o.status for o in (first, fixed, undo, again)] == ["loaded", "loaded", "loaded", "duplicate"]
    assert [row[3] for row in figures(admin_conn, undo.file_id)] == [Decimal("500")]
    with admin_conn.cursor() as cur:
        cur.execute("select duplicate_of from audit.ingest_files where file_id = %s", (again.file_id,))
        assert cur.fetchone() == (undo.file_id,)
    assert reconcile().double_loads == []


def test_reconcile_finds_archived_bytes_that_changed(platform_home: Path) -> None:
    body = "tourist_visits,Huyện,08/2022,450,chính thức,\n"
    outcome = pipeline.ingest_file(drop("vhtt", "khach-t8.csv", body), "vhtt")
    stored = Path(outcome.stored_path)
    kept = stored.read_bytes()
    try:
        stored.write_bytes(kept.replace(b"450", b"950"))
        assert reconcile().altered_on_disk == [f"file_id={outcome.file_id} {stored}"]
    finally:
        stored.write_bytes(kept)
    assert reconcile().altered_on_disk == []


def test_a_drop_judged_by_a_run_that_committed_first_is_recorded_once(platform_home: Path, admin_conn) -> None:
    """Two inbox runs that listed the same file: the one that waited on the lock only cleans up."""
    pipeline.ingest_file(drop("vhtt", "khach-t6.csv", "tourist_visits,Huyện,06/2022,440,chính thức,\n"), "vhtt")
    cases = [
        ("vhtt", "khach-t6 (1).csv", "tourist_visits,Huyện,06/2022,440,chính thức,\n", "duplicate"),
        ("congan", "tai-nan-t6.csv", "traffic_accidents,Huyện,Tháng 13/2022,3,chính thức,\n", "quarantined"),
    ]
    for office, name, body, status in cases:
        path = drop(office, name, body)
        mtime = path.stat().st_mtime
        first = pipeline.ingest_file(path, office)
        path = drop(office, name, body)  # what the waiting run still sees: the same drop, same time
        os.utime(path, (mtime, mtime))
        again = pipeline.ingest_file(path, office)

        assert (first.status, again.status, again.file_id) == (status, status, first.file_id)
        assert not path.exists()
        with admin_conn.cursor() as cur:
            cur.execute(
                "select count(*) from audit.ingest_files where office_code = %s and relative_path = %s", (office, name)
            )
            assert cur.fetchone() == (1,)
    report = reconcile()
    assert report.clean, report.lines()


def test_a_file_with_errors_is_quarantined_with_a_vietnamese_report(platform_home: Path, admin_conn) -> None:
    path = drop("congan", "tai-nan.csv", "traffic_accidents,Huyện,Tháng 13/2022,3,chính thức,\n")

    outcome = pipeline.ingest_file(path, "congan")

    assert outcome.status == "quarantined"
    assert outcome.rows_loaded == 0
    assert not path.exists()
    stored = Path(outcome.stored_path)
    assert stored.parent == settings.paths().quarantine / "congan"
    report_txt = stored.with_name(stored.name + ".bao-cao-loi.txt").read_text(encoding="utf-8")
    assert "CHƯA được nhận" in report_txt
    assert "dòng 2" in report_txt
    sheet = openpyxl.load_workbook(outcome.report_path).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("Tháng 13/2022" in str(c) for c in cells)
    with admin_conn.cursor() as cur:
        cur.execute(
            "select source_row, rule, value_found from audit.ingest_problems where file_id = %s and severity = 'error'",
            (outcome.file_id,),
        )
        assert cur.fetchall() == [(2, "bad_period", "Tháng 13/2022")]


def test_rows_of_another_office_are_rejected_and_the_rest_loads(platform_home: Path, admin_conn) -> None:
    path = drop(
        "ktht",
        "dien-luoi.csv",
        "villages_on_grid,Bình Phúc,2022-Q1,11,chính thức,\ntourist_visits,Huyện,2022-03,99,chính thức,\n",
    )

    outcome = pipeline.ingest_file(path, "ktht")

    assert outcome.status == "loaded_with_warnings"
    assert (outcome.rows_loaded, outcome.rows_rejected) == (1, 1)
    assert [r[0] for r in figures(admin_conn, outcome.file_id)] == ["villages_on_grid"]
    with admin_conn.cursor() as cur:
        cur.execute(
            "select message_vi from audit.ingest_problems where file_id = %s and severity = 'rejected'",
            (outcome.file_id,),
        )
        messages = [m for (m,) in cur.fetchall()]
    assert any("Phòng Văn hóa và Thông tin" in m for m in messages), messages


def test_an_unwritable_state_folder_leaves_the_file_in_the_inbox(platform_home: Path, admin_conn) -> None:
    """Even as root: a plain file where the office's archive folder should be makes every write fail."""
    path = drop("gddt", "truong.csv", "schools_national_standard,Huyện,2022-Q1,21,chính thức,\n")
    blocker = settings.paths().archive / "gddt"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    try:
        outcome = pipeline.ingest_file(path, "gddt")
    finally:
        blocker.unlink()
    assert outcome.status == "failed"
    assert path.exists()
    with admin_conn.cursor() as cur:
        cur.execute("select count(*) from raw.submitted_figures where source_name = 'inbox/gddt'")
        assert cur.fetchone()[0] == 0
    retried = pipeline.ingest_file(path, "gddt")
    assert retried.status == "loaded"
    assert not path.exists()


def test_scan_waits_for_still_files_and_ignores_lock_files(platform_home: Path) -> None:
    still = drop("yte", "ok.csv", "medical_waste_treated,Huyện,2022-Q1,1,chính thức,\n")
    fresh = drop("yte", "dang-ghi.csv", "x\n", age=0)
    lock = drop("yte", "~$ok.xlsx", "x\n")
    ready = {f.path for f in inbox.scan(settings.paths().inbox, ["yte"], settle=5)}
    assert still in ready
    assert fresh not in ready
    assert lock not in ready
    for path in (still, fresh, lock):
        path.unlink()


def test_everything_is_accounted_for(platform_home: Path, admin_conn) -> None:
    """Whatever ran before in this module, its own two drops are among what reconcile counts."""
    good = pipeline.ingest_file(drop("vhtt", "khach-t9.csv", "tourist_visits,Huyện,09/2022,470,chính thức,\n"), "vhtt")
    bad = pipeline.ingest_file(drop("vhtt", "khach-t10.csv", "tourist_visits,Huyện,13/2022,1,chính thức,\n"), "vhtt")
    assert (good.status, bad.status) == ("loaded", "quarantined")
    report = reconcile()
    assert report.clean, report.lines()
    with admin_conn.cursor() as cur:
        cur.execute("select count(*) from audit.ingest_files")
        assert report.files_audited == cur.fetchone()[0]
