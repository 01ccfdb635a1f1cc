"""Hostile drops through the real load path: each ends quarantined with a Vietnamese reason
within seconds, the process stays alive, and a good file dropped beside them still loads.

Covers the races too: a symlink swapped in after listing, a file rewritten while it is read,
a 255-byte Vietnamese name, the same bad file dropped twice, ``make ingest FILE=`` on an
engineer's own file, and a file whose every attempt is killed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import xlwt

from core import settings
from ingest import inbox, pipeline
from ingest.reconcile import reconcile

pytestmark = [pytest.mark.usefixtures("fresh_warehouse"), pytest.mark.timeout(300)]

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"
GOOD = HEADER + "traffic_accidents,Huyện,2022-07,3,chính thức,\n"
FAR_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    "</sheetData></worksheet>"
)


def drop(name: str, data: bytes | str, office: str = "congan", age: float = 60) -> Path:
    path = settings.paths().inbox / office / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    past = time.time() - age
    os.utime(path, (past, past))
    return path


def far_cell_xlsx() -> bytes:
    """1.5 KB on disk; the relationship names the sheet part in another letter case."""
    from tests.ingest.test_hostile_workbooks import build_xlsx

    target = settings.paths().home / "far-cell.xlsx"
    build_xlsx(
        target,
        ['<sheet name="A" sheetId="1" r:id="rId1"/>'],
        {"rId1": "worksheets/SHEET1.xml"},
        {"xl/worksheets/sheet1.xml": FAR_SHEET},
    )
    data = target.read_bytes()
    target.unlink()
    return data


def far_cell_xls() -> bytes:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Số liệu")
    sheet.write(0, 0, "Mã chỉ tiêu")
    sheet.write(65535, 255, "x")
    target = settings.paths().home / "far-cell.xls"
    book.save(str(target))
    data = target.read_bytes()
    target.unlink()
    return data


def audit(admin_conn, file_id: int) -> tuple[str, list[tuple[str, str]]]:
    with admin_conn.cursor() as cur:
        cur.execute("select status from audit.ingest_files where file_id = %s", (file_id,))
        (status,) = cur.fetchone()
        cur.execute("select rule, message_vi from audit.ingest_problems where file_id = %s", (file_id,))
        return status, cur.fetchall()


def assert_clean() -> None:
    report = reconcile()
    assert report.clean, report.lines()


def test_a_hostile_corpus_is_quarantined_and_the_good_file_beside_it_loads(platform_home: Path, admin_conn) -> None:
    hostile = {
        "o-xa.xlsx": far_cell_xlsx(),
        "o-xa.xls": far_cell_xls(),
        "chan-trang-dai.csv": HEADER + ("ngày tháng " * 3200)[:32000] + ",Huyện,2022-07,3,chính thức,\n",
        "mot-dong-rat-dai.csv": "a" * 3_000_000 + "\n" + GOOD,
        "ngoac.csv": "(" * 32000 + "\n" + HEADER + "x,Huyện,2022-07,3,chính thức,\n",
    }
    paths = {name: drop(name, data) for name, data in hostile.items()}
    pipe = settings.paths().inbox / "congan" / "ong-dan.csv"
    os.mkfifo(pipe)
    past = time.time() - 60
    os.utime(pipe, (past, past))
    good = drop("tai-nan-t7.csv", GOOD)

    started = time.monotonic()
    outcomes = {o.original_name: o for o in pipeline.process_inbox(["congan"])}
    elapsed = time.monotonic() - started

    assert set(outcomes) == {*hostile, "ong-dan.csv", "tai-nan-t7.csv"}, outcomes
    assert outcomes["tai-nan-t7.csv"].status == "loaded"
    for name in [*hostile, "ong-dan.csv"]:
        outcome = outcomes[name]
        status, problems = audit(admin_conn, outcome.file_id)
        assert (outcome.status, status) == ("quarantined", "quarantined"), (name, problems)
        assert problems and all(message.strip() for _, message in problems), name
        assert Path(outcome.report_path).exists()
    assert audit(admin_conn, outcomes["ong-dan.csv"].file_id)[1][0][0] == "not_a_regular_file"
    assert not any(p.exists() for p in [*paths.values(), good]) and not os.path.lexists(pipe)
    assert elapsed < 240  # generous: a regression hangs for minutes, it is not a benchmark
    assert_clean()


def test_a_symlink_swapped_in_after_listing_is_never_followed(platform_home: Path, admin_conn, tmp_path: Path) -> None:
    secret = tmp_path / "bi-mat.csv"
    secret.write_text(GOOD, encoding="utf-8")
    path = drop("doi-lien-ket.csv", GOOD.replace("2022-07", "2022-08"))
    listed = [f for f in inbox.scan(settings.paths().inbox, ["congan"], settle=0) if f.path == path]
    assert listed
    path.unlink()
    path.symlink_to(secret)  # swapped between the listing and the ingestion

    outcome = pipeline.ingest_file(path, "congan", relative_path=listed[0].relative_path)

    assert outcome.status == "quarantined"
    assert audit(admin_conn, outcome.file_id)[1][0][0] == "not_a_regular_file"
    assert not os.path.lexists(path) and secret.read_text(encoding="utf-8") == GOOD  # the link, never its target
    assert Path(outcome.stored_path).read_bytes() == b""
    assert_clean()


def test_a_file_rewritten_while_it_is_read_is_archived_as_read_and_the_new_version_kept(
    platform_home: Path, admin_conn, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = GOOD.replace("2022-07", "2022-09")
    second = GOOD.replace("2022-07", "2022-10")
    path = drop("viet-lai.csv", first)
    from ingest import parse

    real = parse.parse_file

    def rewrite_then_parse(staged_path: Path, office: str):
        path.write_text(second, encoding="utf-8")  # the office saves again while the first is read
        return real(staged_path, office)

    monkeypatch.setattr(parse, "parse_file", rewrite_then_parse)
    outcome = pipeline.ingest_file(path, "congan")
    monkeypatch.undo()

    assert outcome.status == "loaded"
    sha_first = hashlib.sha256(first.encode()).hexdigest()
    assert pipeline.sha256_of(Path(outcome.stored_path)) == sha_first
    with admin_conn.cursor() as cur:
        cur.execute("select sha256 from audit.ingest_files where file_id = %s", (outcome.file_id,))
        assert cur.fetchone() == (sha_first,)
        cur.execute("select period_code from raw.submitted_figures where file_id = %s", (outcome.file_id,))
        assert cur.fetchall() == [("2022-09",)]
    assert path.read_text(encoding="utf-8") == second  # the newer version waits for the next run
    again = pipeline.ingest_file(path, "congan")
    assert again.status == "loaded" and not path.exists()
    assert_clean()


def test_a_255_byte_vietnamese_name_gets_its_report(platform_home: Path) -> None:
    stem = "Báo cáo tai nạn giao thông huyện Văn Quan "
    name = (stem * 10).encode()[: 255 - len(".csv")].decode("utf-8", "ignore") + ".csv"
    assert len(name.encode()) <= 255 and len(name.encode()) > 240
    path = drop(name, HEADER + "traffic_accidents,Huyện,Tháng 13/2022,3,chính thức,\n")

    outcome = pipeline.ingest_file(path, "congan")

    assert outcome.status == "quarantined"
    for stored in (Path(outcome.stored_path), Path(outcome.report_path)):
        assert stored.exists() and len(stored.name.encode()) <= 255
    assert not path.exists()
    assert_clean()


def test_the_same_bad_file_dropped_twice_keeps_two_reports(platform_home: Path) -> None:
    body = HEADER + "traffic_accidents,Huyện,Tháng 14/2022,3,chính thức,\n"
    first = pipeline.ingest_file(drop("sai-ky.csv", body, age=120), "congan")
    second = pipeline.ingest_file(drop("sai-ky.csv", body, age=60), "congan")

    assert (first.status, second.status) == ("quarantined", "quarantined")
    assert first.stored_path != second.stored_path and first.report_path != second.report_path
    assert all(Path(p).exists() for p in (first.stored_path, second.stored_path, first.report_path, second.report_path))
    assert_clean()


def test_make_ingest_never_deletes_the_engineers_own_file(platform_home: Path, tmp_path: Path) -> None:
    own = tmp_path / "cua-ky-su.csv"
    own.write_text(GOOD.replace("2022-07", "2022-11"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(settings.REPO_ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "ingest", "file", str(own), "--office", "congan"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "loaded" in run.stdout
    assert own.exists(), "the engineer's file must stay where it was"
    assert_clean()


KILLED_WHILE_READING = """
import os, signal, sys
from pathlib import Path
from ingest import parse, pipeline
parse.parse_file = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
pipeline.ingest_file(Path(sys.argv[1]), "congan")
"""


def test_a_file_whose_every_attempt_is_killed_is_quarantined_as_failed_on_the_fourth(
    platform_home: Path, admin_conn
) -> None:
    path = drop("giet.csv", GOOD.replace("2022-07", "2022-12"))
    env = {**os.environ, "PYTHONPATH": str(settings.REPO_ROOT)}
    for _ in range(inbox.MAX_ATTEMPTS):
        run = subprocess.run([sys.executable, "-c", KILLED_WHILE_READING, str(path)], env=env, check=False)
        assert run.returncode == -9
        assert path.exists()

    outcome = pipeline.ingest_file(path, "congan")

    assert outcome.status == "failed"
    status, problems = audit(admin_conn, outcome.file_id)
    assert status == "failed" and [rule for rule, _ in problems] == ["file_failed_repeatedly"]
    assert "3 lần" in problems[0][1]
    assert not path.exists()
    assert Path(outcome.stored_path).parent == settings.paths().quarantine / "congan"
    report = Path(outcome.stored_path).with_name(Path(outcome.stored_path).name + ".bao-cao-loi.txt")
    assert "CHƯA được nhận" in report.read_text(encoding="utf-8")
    again = drop("giet.csv", GOOD.replace("2022-07", "2022-12"), age=30)  # sent again: a new drop, read afresh
    assert pipeline.ingest_file(again, "congan").status == "loaded"
    assert_clean()


def test_a_database_outage_does_not_count_as_a_failed_attempt(platform_home: Path, monkeypatch) -> None:
    path = drop("mat-ket-noi.csv", GOOD.replace("2022-07", "2021-01"))

    def down():
        raise psycopg2.OperationalError("connection refused")

    monkeypatch.setattr(pipeline, "_connect", down)
    for _ in range(inbox.MAX_ATTEMPTS + 1):
        with pytest.raises(psycopg2.OperationalError):
            pipeline.ingest_file(path, "congan")
    monkeypatch.undo()
    assert pipeline.ingest_file(path, "congan").status == "loaded"
    assert_clean()
